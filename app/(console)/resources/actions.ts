"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { createResource as create, resizeResource as resize, setDataSourceAudience, shareResource as share, unshareResource as unshare } from "@/lib/resources/resources";
import { createResourceInput, resizeResourceInput, resourceIdField, shareInput } from "@/lib/resources/schemas";

// A6: resources and their shares. Whether this principal may change this resource is can()
// with the resource as its scope, asked by each operation (lib/resources/resources.ts).
export const createResource = defineAction({
  name: "resource.create",
  permission: "content.create",
  revalidate: "/resources",
  input: createResourceInput,
  run: (ctx, input) => create(ctx.tx, ctx.actor, input),
});

export const resizeResource = defineAction({
  name: "resource.resize",
  permission: "content.create",
  revalidate: "/resources",
  input: resizeResourceInput,
  run: (ctx, input) => resize(ctx.tx, ctx.actor, input),
});

export const shareResource = defineAction({
  name: "resource.share",
  permission: "content.view",
  revalidate: "/resources",
  input: shareInput,
  run: (ctx, input) => share(ctx.tx, ctx.actor, input),
});

export const unshareResource = defineAction({
  name: "resource.unshare",
  permission: "content.view",
  revalidate: "/resources",
  input: z.object({ resourceId: resourceIdField, shareId: z.uuid({ error: "No such share." }) }),
  run: (ctx, input) => unshare(ctx.tx, ctx.actor, input),
});

export const setAudience = defineAction({
  name: "resource.audience",
  permission: "content.create",
  revalidate: "/resources",
  input: z.object({ resourceId: resourceIdField, allUsers: z.boolean() }),
  run: (ctx, input) => setDataSourceAudience(ctx.tx, ctx.actor, input),
});
