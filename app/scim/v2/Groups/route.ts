import { scimJson } from "@/lib/scim/errors";
import { readScimBody, scimRoute } from "@/lib/scim/handler";
import { createGroup, listGroups } from "@/lib/scim/groups";

export const dynamic = "force-dynamic";

/** B3: the account's roles as groups, filtered by displayName and paged. */
export const GET = scimRoute(async (_req, ctx) => scimJson(await listGroups(ctx)));

export const POST = scimRoute(async (req, ctx) => scimJson(await createGroup(ctx, await readScimBody(req)), 201));
