import { resourceTypes } from "@/lib/scim/discovery";
import { scimJson } from "@/lib/scim/errors";
import { listResponse, scimRoute } from "@/lib/scim/handler";

export const dynamic = "force-dynamic";

/** B3: RFC 7644 §4 — Users (members) and Groups (roles). */
export const GET = scimRoute(async () => {
  const all = resourceTypes();
  return scimJson(listResponse(all, all.length, 1));
});
