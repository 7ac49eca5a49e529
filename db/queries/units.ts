import { and, asc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { unitMembers, unitPaths, units, unitSubtreeMembers, users } from "@/db/schema";

/**
 * A4: an account's organisation units and the closure table that keeps the tree
 * (db/schema/units.ts). Every write here runs inside the caller's transaction, after the
 * account's row is locked (lib/org-units), so two changes to one tree never interleave.
 */

/** One unit as the tree shows it: its place, and what hangs on it (a delete is refused while any does). */
export type UnitRow = { id: string; parentId: string | null; name: string; members: number; grants: number };

/** Every unit of the account with its direct members and the grants on it, parents before children, siblings by name. */
export async function listUnits(db: Executor, accountId: string): Promise<UnitRow[]> {
  return db
    .select({
      id: units.id,
      parentId: units.parentId,
      name: units.name,
      members: sql<number>`(select count(*)::int from unit_members um where um.unit_id = "units"."id")`,
      grants: sql<number>`(select count(*)::int from role_grants g where g.unit_id = "units"."id")`,
    })
    .from(units)
    .where(eq(units.accountId, accountId))
    .orderBy(asc(sql`lower(${units.name})`), asc(units.id));
}

/** Every unit of the account, only its place and name (for pickers and filters), siblings by name. */
export async function listUnitTree(db: Executor, accountId: string) {
  return db
    .select({ id: units.id, parentId: units.parentId, name: units.name })
    .from(units)
    .where(eq(units.accountId, accountId))
    .orderBy(asc(sql`lower(${units.name})`), asc(units.id));
}

/** A unit of this account, with its line (its ID and those above it, nearest first), or null. */
export async function findUnit(db: Executor, accountId: string, unitId: string) {
  const [row] = await db
    .select({
      id: units.id,
      accountId: units.accountId,
      parentId: units.parentId,
      name: units.name,
      line: sql<string[]>`(select coalesce(json_agg(p.ancestor_id order by p.depth), '[]'::json) from unit_paths p where p.descendant_id = "units"."id")`,
    })
    .from(units)
    .where(and(eq(units.accountId, accountId), eq(units.id, unitId)))
    .limit(1);
  return row ?? null;
}

export type FoundUnit = NonNullable<Awaited<ReturnType<typeof findUnit>>>;

/** Whether `unitId` is `ancestorId` or below it. */
export async function isWithin(db: Executor, unitId: string, ancestorId: string) {
  const [row] = await db
    .select({ depth: unitPaths.depth })
    .from(unitPaths)
    .where(and(eq(unitPaths.ancestorId, ancestorId), eq(unitPaths.descendantId, unitId)))
    .limit(1);
  return Boolean(row);
}

/** What keeps a unit from being deleted: its sub-units, its members, the roles given on it. */
export async function unitUsage(db: Executor, unitId: string) {
  const [row] = await db
    .select({
      subunits: sql<number>`(select count(*)::int from units c where c.parent_id = "units"."id")`,
      members: sql<number>`(select count(*)::int from unit_members um where um.unit_id = "units"."id")`,
      grants: sql<number>`(select count(*)::int from role_grants g where g.unit_id = "units"."id")`,
      // A7: access rules that give a role on it, and people whose unit property names it.
      rules: sql<number>`(select count(*)::int from access_rules r where r.unit_id = "units"."id")`,
      values: sql<number>`(select count(*)::int from user_property_values v where v.unit_id = "units"."id")`,
    })
    .from(units)
    .where(eq(units.id, unitId));
  return row ?? { subunits: 0, members: 0, grants: 0, rules: 0, values: 0 };
}

/** A new unit under `parentId` (or at the top), with its paths: one to itself and one to each unit above. */
export async function insertUnit(tx: Executor, input: { accountId: string; parentId: string | null; name: string }) {
  const [unit] = await tx.insert(units).values(input).returning({ id: units.id });
  await tx.execute(sql`
    insert into unit_paths (ancestor_id, descendant_id, depth)
    select ${unit.id}::uuid, ${unit.id}::uuid, 0
    union all
    select p.ancestor_id, ${unit.id}::uuid, p.depth + 1 from unit_paths p where p.descendant_id = ${input.parentId}::uuid`);
  return unit;
}

export async function renameUnit(tx: Executor, unitId: string, name: string) {
  await tx.update(units).set({ name }).where(eq(units.id, unitId));
}

/**
 * Moves a unit, with everything below it, under `parentId` (or to the top). The caller has
 * refused a parent inside the unit's own subtree. The closure table: the subtree's paths
 * to its old ancestors go, and a path from each new ancestor to each unit of the subtree
 * comes — the subtree's own paths stay as they were.
 */
export async function moveUnit(tx: Executor, unitId: string, parentId: string | null) {
  await tx.execute(sql`
    delete from unit_paths
    where descendant_id in (select descendant_id from unit_paths where ancestor_id = ${unitId}::uuid)
      and ancestor_id in (select ancestor_id from unit_paths where descendant_id = ${unitId}::uuid and ancestor_id <> ${unitId}::uuid)`);
  if (parentId) {
    await tx.execute(sql`
      insert into unit_paths (ancestor_id, descendant_id, depth)
      select above.ancestor_id, below.descendant_id, above.depth + below.depth + 1
      from unit_paths above cross join unit_paths below
      where above.descendant_id = ${parentId}::uuid and below.ancestor_id = ${unitId}::uuid`);
  }
  await tx.update(units).set({ parentId }).where(eq(units.id, unitId));
  // Whoever is in the moved subtree is now under other units above it.
  await refreshSubtreeMembership(tx, sql`(select um.user_id from unit_paths p join unit_members um on um.unit_id = p.descendant_id where p.ancestor_id = ${unitId}::uuid)`);
}

/**
 * Rebuilds unit_subtree_members for these users from their memberships and the tree (the
 * users as a subquery, so a move's whole subtree is one statement).
 */
async function refreshSubtreeMembership(tx: Executor, userIds: SQL) {
  await tx.execute(sql`delete from unit_subtree_members where user_id in ${userIds}`);
  await tx.execute(sql`
    insert into unit_subtree_members (unit_id, user_id)
    select distinct p.ancestor_id, um.user_id from unit_members um join unit_paths p on p.descendant_id = um.unit_id
    where um.user_id in ${userIds}`);
}

/** Deletes a unit nobody and nothing uses (its own path goes with it). */
export async function deleteUnit(tx: Executor, unitId: string) {
  await tx.delete(units).where(eq(units.id, unitId));
}

/** The units a member belongs to (A4), by name. */
export async function unitsOfMember(db: Executor, userId: string) {
  return db
    .select({ id: units.id, name: units.name })
    .from(unitMembers)
    .innerJoin(units, eq(units.id, unitMembers.unitId))
    .where(eq(unitMembers.userId, userId))
    .orderBy(asc(sql`lower(${units.name})`));
}

/** Puts a member in a unit, and so in the subtree of every unit above it; false when they already were. */
export async function addUnitMember(tx: Executor, unitId: string, userId: string) {
  const rows = await tx.insert(unitMembers).values({ unitId, userId }).onConflictDoNothing().returning({ unitId: unitMembers.unitId });
  if (rows.length === 0) return false;
  await tx.execute(sql`
    insert into unit_subtree_members (unit_id, user_id)
    select p.ancestor_id, ${userId}::uuid from unit_paths p where p.descendant_id = ${unitId}::uuid
    on conflict do nothing`);
  return true;
}

/** Takes a member out of a unit (they stay under the units their other memberships are under); false when they were not in it. */
export async function removeUnitMember(tx: Executor, unitId: string, userId: string) {
  const rows = await tx
    .delete(unitMembers)
    .where(and(eq(unitMembers.unitId, unitId), eq(unitMembers.userId, userId)))
    .returning({ unitId: unitMembers.unitId });
  if (rows.length === 0) return false;
  await refreshSubtreeMembership(tx, sql`(${userId}::uuid)`);
  return true;
}

/**
 * A member's unit line as SQL: every unit they belong to and every unit above those —
 * what can(…, { units }) matches a principal's unit grants against.
 */
export function memberUnitLine(userId: SQL) {
  return sql<string[]>`(select coalesce(json_agg(s.unit_id), '[]'::json) from unit_subtree_members s where s.user_id = ${userId})`;
}

/** The top units of some subtrees: given, or found by a query (narrowedRoots). */
export type SubtreeRoots = readonly string[] | SQL;

const rootList = (roots: SubtreeRoots) =>
  Array.isArray(roots)
    ? sql.join(
        roots.map((id) => sql`${id}::uuid`),
        sql`, `,
      )
    : (roots as SQL);

/**
 * The subtrees of `units` narrowed to `unit`'s: `unit` where it is inside one of them,
 * and those of them inside `unit` (subtrees are nested or apart).
 */
export function narrowedRoots(units: readonly string[], unit: string): SubtreeRoots {
  if (units.length === 0) return [];
  return sql`select p.descendant_id from unit_paths p
    where (p.ancestor_id in (${rootList(units)}) and p.descendant_id = ${unit}::uuid) or (p.ancestor_id = ${unit}::uuid and p.descendant_id in (${rootList(units)}))`;
}

/** narrowedRoots, looked up: the top units of the narrowed subtrees (none when they are apart). */
export async function findNarrowedRoots(db: Executor, units: readonly string[], unit: string): Promise<string[]> {
  if (units.length === 0) return [];
  const rows = await db
    .select({ id: unitPaths.descendantId })
    .from(unitPaths)
    .where(or(and(inArray(unitPaths.ancestorId, [...units]), eq(unitPaths.descendantId, unit)), and(eq(unitPaths.ancestorId, unit), inArray(unitPaths.descendantId, [...units]))));
  return [...new Set(rows.map((row) => row.id))];
}

/**
 * A4, the one definition of "in these units' subtrees" for members: belongs to one of the
 * units or to a unit below one. The team table, its count and search, the member page,
 * the API and the exports all filter through it.
 */
export function inSubtrees(roots: SubtreeRoots, userId: SQL | typeof users.id = users.id, strategy: SubtreeStrategy = "probe"): SQL {
  if (Array.isArray(roots) && roots.length === 0) return sql`false`;
  const within = sql`${userId} in (select s.user_id from unit_subtree_members s where s.unit_id in (${rootList(roots)}))`;
  // "hash": wrapped, the planner cannot turn the IN into a join, and tests each row against
  // the subtree's members hashed once (a hashed SubPlan) while it walks the sort index.
  return strategy === "hash" ? sql`(${within}) is true` : within;
}

/**
 * How inSubtrees is run — the same members either way. "probe": the planner's choice (a
 * semi-join: on page 1, each member met on the sort index is looked up, and the walk
 * stops after a page). "hash": for later pages, which skip many members first.
 */
export type SubtreeStrategy = "probe" | "hash";

/**
 * How many members are in these subtrees, from the subtree index alone — for a count
 * with no other filter. Units of another account count nobody.
 */
export function countInSubtrees(db: Executor, accountId: string, roots: SubtreeRoots, adjust: (n: SQL) => SQL<number> = (n) => sql<number>`${n}`.mapWith(Number)) {
  const within =
    Array.isArray(roots) && roots.length === 0
      ? sql`false`
      : sql`"unit_subtree_members"."unit_id" in (${rootList(roots)}) and "unit_subtree_members"."unit_id" in (select id from units where account_id = ${accountId}::uuid)`;
  // One unit: its rows are one per member. Several may overlap: each member once.
  const n = Array.isArray(roots) && roots.length === 1 ? sql`count(*)` : sql`count(distinct ${unitSubtreeMembers.userId})`;
  return db.select({ total: adjust(n) }).from(unitSubtreeMembers).where(within);
}
