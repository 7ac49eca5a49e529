import { scimJson } from "@/lib/scim/errors";
import { readScimBody, scimRoute } from "@/lib/scim/handler";
import { deleteUser, getUser, patchUser, replaceUser } from "@/lib/scim/users";

export const dynamic = "force-dynamic";

export const GET = scimRoute(async (_req, ctx) => scimJson(await getUser(ctx, ctx.params.id)));

export const PUT = scimRoute(async (req, ctx) => scimJson(await replaceUser(ctx, ctx.params.id, await readScimBody(req))));

export const PATCH = scimRoute(async (req, ctx) => scimJson(await patchUser(ctx, ctx.params.id, await readScimBody(req))));

export const DELETE = scimRoute(async (_req, ctx) => {
  await deleteUser(ctx, ctx.params.id);
  return new Response(null, { status: 204 });
});
