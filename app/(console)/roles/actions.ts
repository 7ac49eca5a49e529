"use server";

import { z } from "zod";
import { findCustomRole } from "@/db/queries/roles";
import { defineAction, refuse } from "@/lib/actions/define-action";
import { PERMISSION_NAMES } from "@/lib/auth/permissions";
import { createCustomRole, deleteCustomRole, updateCustomRole } from "@/lib/team/custom-roles";
import { nameField } from "@/lib/team/schemas";

// A3: an account's own roles (step-up: they change what people may do).
const roleFields = {
  name: nameField.pipe(z.string().min(1, "Name the role.")),
  description: z.string().trim().max(300, "At most 300 characters.").default(""),
  permissions: z.array(z.enum(PERMISSION_NAMES, { error: "Choose permissions from the list." })).min(1, "Choose at least one permission.").max(PERMISSION_NAMES.length),
};
const roleId = z.uuid({ error: "No such role in this account." });

export const createRole = defineAction({
  name: "role.create",
  permission: "roles.manage",
  revalidate: "/roles",
  input: z.object(roleFields),
  stepUp: (input) => ({ targetId: "new", label: `create the role "${input.name}"` }),
  run: (ctx, input) => createCustomRole(ctx.tx, ctx.actor, input),
});

export const updateRole = defineAction({
  name: "role.update",
  permission: "roles.manage",
  revalidate: "/roles",
  input: z.object({ roleId, ...roleFields }),
  stepUp: (input) => ({ targetId: input.roleId, label: `change the role "${input.name}"` }),
  run: (ctx, input) => updateCustomRole(ctx.tx, ctx.actor, input),
});

export const deleteRole = defineAction({
  name: "role.delete",
  permission: "roles.manage",
  revalidate: "/roles",
  input: z.object({ roleId }),
  stepUp: async (input, ctx) => {
    const role = await findCustomRole(ctx.db, ctx.user.accountId, input.roleId);
    if (!role) refuse("No such role in this account.", "not_found");
    return { targetId: role.id, label: `delete the role "${role.name}"` };
  },
  run: (ctx, input) => deleteCustomRole(ctx.tx, ctx.actor, input),
});
