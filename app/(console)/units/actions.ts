"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { createUnit as create, deleteUnit as remove, moveUnit as move, planMove, renameUnit as rename } from "@/lib/org-units/units";
import { unitIdField, unitNameField } from "@/lib/team/schemas";

// A4: the organisation tree. Creating and renaming change nobody's access: no code. Moving
// a unit changes whose administrators reach its members, so it asks "Verify it's you", as
// a role change does; deleting needs none — only a unit with nothing in or on it goes.
const parentField = z.union([z.literal(""), z.null(), unitIdField]).transform((value) => value || null);

export const createUnit = defineAction({
  name: "unit.create",
  permission: "units.manage",
  revalidate: "/units",
  input: z.object({ name: unitNameField, parentId: parentField }),
  run: (ctx, input) => create(ctx.tx, ctx.actor, input),
});

export const renameUnit = defineAction({
  name: "unit.rename",
  permission: "units.manage",
  revalidate: "/units",
  input: z.object({ unitId: unitIdField, name: unitNameField }),
  run: (ctx, input) => rename(ctx.tx, ctx.actor, input),
});

export const moveUnit = defineAction({
  name: "unit.move",
  permission: "units.manage",
  revalidate: "/units",
  input: z.object({ unitId: unitIdField, parentId: parentField }),
  stepUp: async (input, ctx) => {
    const { unit, parent } = await planMove(ctx.db, ctx.user, input);
    return { targetId: unit.id, label: parent ? `move ${unit.name} under ${parent.name}` : `move ${unit.name} to the top level` };
  },
  run: (ctx, input) => move(ctx.tx, ctx.actor, input),
});

export const deleteUnit = defineAction({
  name: "unit.delete",
  permission: "units.manage",
  revalidate: "/units",
  input: z.object({ unitId: unitIdField }),
  run: (ctx, input) => remove(ctx.tx, ctx.actor, input),
});
