import { scimJson } from "@/lib/scim/errors";
import { readScimBody, scimRoute } from "@/lib/scim/handler";
import { createUser, listUsers } from "@/lib/scim/users";

export const dynamic = "force-dynamic";

/** B3: the account's members, filtered and paged (RFC 7644 §3.4.2). */
export const GET = scimRoute(async (_req, ctx) => scimJson(await listUsers(ctx)));

/** B3: a new member (RFC 7644 §3.3). */
export const POST = scimRoute(async (req, ctx) => {
  const user = await createUser(ctx, await readScimBody(req));
  return scimJson(user, 201, { Location: user.meta.location });
});
