import { serviceProviderConfig } from "@/lib/scim/discovery";
import { scimJson } from "@/lib/scim/errors";
import { scimRoute } from "@/lib/scim/handler";

export const dynamic = "force-dynamic";

/** B3: RFC 7644 §4 — what this SCIM endpoint supports. */
export const GET = scimRoute(async () => scimJson(serviceProviderConfig()));
