import { and, asc, eq, isNull, sql } from "drizzle-orm";
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

/** Adds and removes a member's grants (A3); refs are predefined keys or custom role IDs, each for the whole account or on a unit (A4). */
export async function writeRoleGrants(
  tx: Executor,
  member: { id: string; accountId: string },
  change: { add: GrantChange[]; remove: GrantChange[]; grantedBy: string | null },
) {
  for (const role of change.remove) {
    await tx
      .delete(roleGrants)
      .where(
        and(
          eq(roleGrants.userId, member.id),
          role.custom ? eq(roleGrants.customRoleId, role.key) : eq(roleGrants.roleKey, role.key),
          role.unit ? eq(roleGrants.unitId, role.unit.id) : isNull(roleGrants.unitId),
        ),
      );
  }
  if (change.add.length) {
    await tx.insert(roleGrants).values(
      change.add.map((role) => ({
        accountId: member.accountId,
        userId: member.id,
        roleKey: role.custom ? null : role.key,
        customRoleId: role.custom ? role.key : null,
        unitId: role.unit?.id ?? null,
        grantedBy: change.grantedBy,
      })),
    );
  }
}

type GrantChange = { key: string; custom: boolean; unit?: { id: string } | null };
