import { scimJson } from "@/lib/scim/errors";
import { readScimBody, scimRoute } from "@/lib/scim/handler";
import { deleteGroup, getGroup, patchGroup, replaceGroup } from "@/lib/scim/groups";

export const dynamic = "force-dynamic";

export const GET = scimRoute(async (_req, ctx) => scimJson(await getGroup(ctx, ctx.params.id)));

export const PUT = scimRoute(async (req, ctx) => scimJson(await replaceGroup(ctx, ctx.params.id, await readScimBody(req))));

export const PATCH = scimRoute(async (req, ctx) => {
  await patchGroup(ctx, ctx.params.id, await readScimBody(req));
  return new Response(null, { status: 204 });
});

export const DELETE = scimRoute(async (_req, ctx) => {
  await deleteGroup(ctx, ctx.params.id);
  return new Response(null, { status: 204 });
});
