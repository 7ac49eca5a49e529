import { type AnyPgColumn, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { accounts, users } from "./accounts";

/**
 * A4: an account's organisation units, a tree ("Acme" → "EMEA" → "Germany" → "Plant 2").
 * A unit with no parent is a top-level unit; an account may have several.
 */
export const units = pgTable(
  "units",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    // Restrict: a unit with sub-units is never deleted (lib/org-units refuses first, saying so).
    parentId: uuid("parent_id").references((): AnyPgColumn => units.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("units_account_idx").on(t.accountId, t.parentId),
    // Siblings have different names, so a path of names ("EMEA / Germany") names one unit.
    uniqueIndex("units_sibling_name_unique").on(t.accountId, sql`coalesce(${t.parentId}, ${t.accountId})`, sql`lower(${t.name})`),
  ],
);

/**
 * A4: the tree as a closure table — one row for every unit and each unit above it
 * (and itself, at depth 0). "Everything below EMEA" is `ancestor_id = EMEA`, an index
 * range; "everything above Plant 2" is `descendant_id = Plant 2`. Kept by lib/org-units
 * in the same transaction as the change to `units` (README: Organisation units).
 */
export const unitPaths = pgTable(
  "unit_paths",
  {
    ancestorId: uuid("ancestor_id")
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    descendantId: uuid("descendant_id")
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    depth: integer("depth").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ancestorId, t.descendantId] }),
    index("unit_paths_descendant_idx").on(t.descendantId, t.ancestorId),
    check("unit_paths_depth", sql`${t.depth} >= 0`),
  ],
);

/** A4: who belongs to which units (one or more). */
export const unitMembers = pgTable(
  "unit_members",
  {
    unitId: uuid("unit_id")
      .notNull()
      .references(() => units.id, { onDelete: "restrict" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // Both directions: a subtree's members (unit first), a member's units (user first).
  (t) => [primaryKey({ columns: [t.unitId, t.userId] }), index("unit_members_user_idx").on(t.userId, t.unitId)],
);

/**
 * A4, derived from the two tables above: who is in each unit's subtree — a row for every
 * unit a member belongs to and each unit above it. "The members of EMEA and below" is then
 * one index range, so a unit-filtered team table, and a unit administrator's, count and
 * page as fast as the whole account's (README: Organisation units). Written only by
 * db/queries/units.ts, in the transaction that changes a membership or moves a unit.
 */
export const unitSubtreeMembers = pgTable(
  "unit_subtree_members",
  {
    unitId: uuid("unit_id")
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.userId] }), index("unit_subtree_members_user_idx").on(t.userId, t.unitId)],
);

export type Unit = typeof units.$inferSelect;
export type UnitName = Pick<Unit, "id" | "name">;
export const UNIT_NAME_MAX = 100;
