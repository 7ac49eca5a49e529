import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { findCustomRole } from "@/db/queries/roles";
import { accessRules, accounts, customRoles, roleGrants } from "@/db/schema";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import { PERMISSIONS, PERMISSION_NAMES, type Permission } from "@/lib/auth/permissions";
import { canGrant } from "@/lib/auth/principal";
import { isUniqueViolation } from "@/lib/db-errors";
import type { Actor } from "@/lib/actions/actor";

export type CustomRoleInput = { name: string; description: string; permissions: readonly Permission[] };

const NO_SUCH_ROLE = "No such role in this account.";
const NAME_TAKEN = "A role with this name already exists.";
/** The catalogue's order, without repeats, so the stored list reads like the form. */
const canonical = (permissions: readonly Permission[]) => PERMISSION_NAMES.filter((permission) => permissions.includes(permission));

function assertComposable(actor: Actor, permissions: readonly Permission[], emptyAllowed = false) {
  if (permissions.length === 0 && !emptyAllowed) refuse("Choose at least one permission.", "invalid");
  // A3: nobody composes a role with more than they hold (they could then give it away).
  const beyond = permissions.filter((permission) => !canGrant(actor.principal, { permissions: [permission] }));
  if (beyond.length) refuse(`You cannot put permissions you do not hold into a role: ${beyond.map((p) => PERMISSIONS[p].label).join(", ")}.`, "forbidden");
}

/**
 * A3: an account's own role, composed from the catalogue. B3: an identity provider's new
 * group is a role with no permissions yet (`withoutPermissions`) — giving it some is the
 * administrator's decision, on the Roles page.
 */
export async function createCustomRole(tx: Executor, actor: Actor, input: CustomRoleInput, options: { withoutPermissions?: boolean } = {}) {
  const permissions = canonical(input.permissions);
  assertComposable(actor, permissions, options.withoutPermissions === true && permissions.length === 0);
  let role: { id: string };
  try {
    [role] = await tx.transaction((sp) =>
      sp.insert(customRoles).values({ accountId: actor.principal.accountId, name: input.name, description: input.description, permissions }).returning({ id: customRoles.id }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) refuse(NAME_TAKEN);
    throw error;
  }
  await recordAuditBy(tx, actor, { action: "role.created", target: { type: "role", id: role.id }, details: { name: input.name, permissions } });
  return { id: role.id, name: input.name };
}

/** A3: edits a custom role; its holders' permissions change on their next request. */
export async function updateCustomRole(tx: Executor, actor: Actor, input: CustomRoleInput & { roleId: string }) {
  const existing = await findCustomRole(tx, actor.principal.accountId, input.roleId, true);
  if (!existing) refuse(NO_SUCH_ROLE, "not_found");
  const permissions = canonical(input.permissions);
  // B3: a role made without permissions (an IdP's group) may be renamed before it gets some.
  assertComposable(actor, permissions, existing.permissions.length === 0);
  // Taking a permission away from holders is giving and taking too: the editor must hold what was there.
  if (!canGrant(actor.principal, { permissions: existing.permissions })) refuse("This role has permissions you do not hold, so you cannot edit it.", "forbidden");
  try {
    await tx.transaction((sp) =>
      sp.update(customRoles).set({ name: input.name, description: input.description, permissions, updatedAt: sql`now()` }).where(eq(customRoles.id, existing.id)),
    );
  } catch (error) {
    if (isUniqueViolation(error)) refuse(NAME_TAKEN);
    throw error;
  }
  await recordAuditBy(tx, actor, {
    action: "role.updated",
    target: { type: "role", id: existing.id },
    details: { before: { name: existing.name, permissions: existing.permissions }, after: { name: input.name, permissions } },
  });
  return { id: existing.id, name: input.name };
}

/** A3: a role in use cannot be deleted until nobody holds it. */
export async function deleteCustomRole(tx: Executor, actor: Actor, input: { roleId: string }) {
  const existing = await findCustomRole(tx, actor.principal.accountId, input.roleId, true);
  if (!existing) refuse(NO_SUCH_ROLE, "not_found");
  const [{ holders }] = await tx.select({ holders: sql<number>`count(*)::int` }).from(roleGrants).where(and(eq(roleGrants.customRoleId, existing.id)));
  if (holders > 0) refuse(`${existing.name} is held by ${holders === 1 ? "1 person" : `${holders} people`}: take it from them first.`);
  // A7: an access rule that gives the role keeps it (the database would refuse the delete).
  const [{ rules }] = await tx.select({ rules: sql<number>`count(*)::int` }).from(accessRules).where(eq(accessRules.customRoleId, existing.id));
  if (rules > 0) refuse(`${existing.name} is given by ${rules === 1 ? "an access rule" : `${rules} access rules`}: change or delete ${rules === 1 ? "it" : "them"} first.`);
  if (!canGrant(actor.principal, { permissions: existing.permissions })) refuse("This role has permissions you do not hold, so you cannot delete it.", "forbidden");
  // P4: enforcement for this role ends with it (the other chosen roles stay).
  await tx.update(accounts).set({ twoFactorRoles: sql`array_remove(${accounts.twoFactorRoles}, ${existing.id})` }).where(eq(accounts.id, actor.principal.accountId));
  await tx.delete(customRoles).where(eq(customRoles.id, existing.id));
  await recordAuditBy(tx, actor, { action: "role.deleted", target: { type: "role", id: existing.id }, details: { name: existing.name, permissions: existing.permissions } });
  return { name: existing.name };
}
