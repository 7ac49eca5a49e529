import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customRoles, roleGrants, users } from "@/db/schema";
import { resolveRoles } from "@/lib/auth/permissions";
import { heldRoles } from "./principals";

/** An account's custom roles with how many people hold each (A3). */
export async function listCustomRoles(db: Executor, accountId: string) {
  return db
    .select({
      id: customRoles.id,
      name: customRoles.name,
      description: customRoles.description,
      permissions: customRoles.permissions,
      holders: sql<number>`(select count(*)::int from role_grants g where g.custom_role_id = ${customRoles.id})`,
    })
    .from(customRoles)
    .where(eq(customRoles.accountId, accountId))
    .orderBy(asc(sql`lower(${customRoles.name})`));
}

export async function findCustomRole(db: Executor, accountId: string, roleId: string, lock = false) {
  const query = db.select().from(customRoles).where(and(eq(customRoles.accountId, accountId), eq(customRoles.id, roleId))).limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row ?? null;
}

/** The roles one member holds, with their permissions. */
export async function rolesOfMember(db: Executor, userId: string) {
  const [row] = await db.select({ roles: heldRoles(sql`${users.id}`) }).from(users).where(eq(users.id, userId));
  return resolveRoles(row?.roles ?? []);
}

/** Adds and removes a member's grants (A3); refs are predefined keys or custom role IDs. */
export async function writeRoleGrants(
  tx: Executor,
  member: { id: string; accountId: string },
  change: { add: { key: string; custom: boolean }[]; remove: { key: string; custom: boolean }[]; grantedBy: string | null },
) {
  const removeKeys = change.remove.filter((r) => !r.custom).map((r) => r.key);
  const removeCustom = change.remove.filter((r) => r.custom).map((r) => r.key);
  if (removeKeys.length) await tx.delete(roleGrants).where(and(eq(roleGrants.userId, member.id), inArray(roleGrants.roleKey, removeKeys)));
  if (removeCustom.length) await tx.delete(roleGrants).where(and(eq(roleGrants.userId, member.id), inArray(roleGrants.customRoleId, removeCustom)));
  if (change.add.length) {
    await tx.insert(roleGrants).values(
      change.add.map((role) => ({
        accountId: member.accountId,
        userId: member.id,
        roleKey: role.custom ? null : role.key,
        customRoleId: role.custom ? role.key : null,
        grantedBy: change.grantedBy,
      })),
    );
  }
}
