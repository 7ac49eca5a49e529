import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { customRoles, roleGrants, users } from "@/db/schema";
import { resolveRoles } from "@/lib/auth/permissions";
import { now } from "@/lib/clock";
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

/** The roles one member holds at `at` (expired grants are not held, A5), with their permissions. */
export async function rolesOfMember(db: Executor, userId: string, at: Date = now()) {
  const [row] = await db.select({ roles: heldRoles(sql`${users.id}`, at) }).from(users).where(eq(users.id, userId));
  return resolveRoles(row?.roles ?? []);
}

/** A5: a member's grants as stored — expired ones too, with when each ends — for their page (A4: with the unit each is on). */
export async function roleGrantsOf(db: Executor, userId: string) {
  return db
    .select({
      id: roleGrants.id,
      key: sql<string>`coalesce(${roleGrants.roleKey}, ${roleGrants.customRoleId}::text)`,
      custom: sql<boolean>`${roleGrants.customRoleId} is not null`,
      unitId: roleGrants.unitId,
      unitName: sql<string | null>`(select u.name from units u where u.id = ${roleGrants.unitId})`,
      expiresAt: roleGrants.expiresAt,
      ruleName: sql<string | null>`(select r.name from access_rules r where r.id = ${roleGrants.ruleId})`,
    })
    .from(roleGrants)
    .where(eq(roleGrants.userId, userId))
    .orderBy(asc(roleGrants.grantedAt), asc(roleGrants.id));
}

/** A5: one grant of a member, by its role (a predefined key or a custom role's ID) and unit (A4; null: the whole account), locked for a change. */
export async function findRoleGrant(db: Executor, userId: string, role: { key: string; custom: boolean }, unitId: string | null = null) {
  const [row] = await db
    .select()
    .from(roleGrants)
    .where(
      and(
        eq(roleGrants.userId, userId),
        role.custom ? eq(roleGrants.customRoleId, role.key) : eq(roleGrants.roleKey, role.key),
        unitId ? eq(roleGrants.unitId, unitId) : isNull(roleGrants.unitId),
        // A7: a rule's grant is the rule's to keep; only one given by hand is changed here.
        isNull(roleGrants.ruleId),
      ),
    )
    .limit(1)
    .for("update");
  return row ?? null;
}

export async function setRoleGrantExpiry(db: Executor, grantId: string, expiresAt: Date | null) {
  await db.update(roleGrants).set({ expiresAt }).where(eq(roleGrants.id, grantId));
}

/**
 * Adds and removes a member's grants (A3); refs are predefined keys or custom role IDs,
 * each for the whole account or on a unit (A4). Added grants end at `expiresAt` when
 * given (A5); a role given again (on the same unit) replaces its expired grant.
 */
export async function writeRoleGrants(
  tx: Executor,
  member: { id: string; accountId: string },
  change: { add: GrantChange[]; remove: GrantChange[]; grantedBy: string | null; expiresAt?: Date | null; at?: Date },
) {
  const at = change.at ?? now();
  const sameGrant = (role: GrantChange) =>
    and(
      eq(roleGrants.userId, member.id),
      role.custom ? eq(roleGrants.customRoleId, role.key) : eq(roleGrants.roleKey, role.key),
      role.unit ? eq(roleGrants.unitId, role.unit.id) : isNull(roleGrants.unitId),
      // A7: grants made by access rules are never written here (lib/properties/rules.ts).
      isNull(roleGrants.ruleId),
    );
  // Expired grants of the roles being given again (the held ones are never in `add`).
  for (const role of change.add) await tx.delete(roleGrants).where(and(sameGrant(role), lte(roleGrants.expiresAt, at)));
  for (const role of change.remove) await tx.delete(roleGrants).where(sameGrant(role));
  if (change.add.length) {
    await tx.insert(roleGrants).values(
      change.add.map((role) => ({
        accountId: member.accountId,
        userId: member.id,
        roleKey: role.custom ? null : role.key,
        customRoleId: role.custom ? role.key : null,
        unitId: role.unit?.id ?? null,
        grantedBy: change.grantedBy,
        expiresAt: change.expiresAt ?? null,
      })),
    );
  }
}

type GrantChange = { key: string; custom: boolean; unit?: { id: string } | null };

/** Everyone with a grant of a custom role — for the whole account or on a unit, lapsed or not (A5) — oldest first. */
export async function customRoleHolderIds(db: Executor, accountId: string, roleId: string) {
  const rows = await db
    .selectDistinct({ userId: roleGrants.userId })
    .from(roleGrants)
    .where(and(eq(roleGrants.accountId, accountId), eq(roleGrants.customRoleId, roleId)))
    .orderBy(asc(roleGrants.userId));
  return rows.map((row) => row.userId);
}
