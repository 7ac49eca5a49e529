import { schemas } from "@/lib/scim/discovery";
import { scimJson } from "@/lib/scim/errors";
import { listResponse, scimRoute } from "@/lib/scim/handler";

export const dynamic = "force-dynamic";

/** B3: RFC 7644 §4 — the User and Group schemas as served here. */
export const GET = scimRoute(async () => {
  const all = schemas();
  return scimJson(listResponse(all, all.length, 1));
});
