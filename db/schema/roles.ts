import { sql } from "drizzle-orm";
import { type AnyPgColumn, boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts, users } from "./accounts";
import { accessRules } from "./properties";
import { units } from "./units";

/**
 * A3: an account's own roles, each a named set of permissions from the catalogue
 * (lib/auth/permissions.ts). The predefined roles live in code, not here.
 */
export const customRoles = pgTable(
  "custom_roles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    permissions: text("permissions").array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("custom_roles_account_name_unique").on(t.accountId, sql`lower(${t.name})`)],
);

/**
 * A3: who holds which role — a predefined one by key, or a custom one by ID (exactly one
 * of the two). Several rows per person: their permissions add up. A custom role that is
 * held cannot be deleted (the foreign key restricts it). A4: a grant on a unit covers that
 * unit and every unit below it; without one it covers the whole account.
 */
export const roleGrants = pgTable(
  "role_grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    roleKey: text("role_key"),
    customRoleId: uuid("custom_role_id").references(() => customRoles.id, { onDelete: "restrict" }),
    unitId: uuid("unit_id").references(() => units.id, { onDelete: "restrict" }),
    grantedBy: uuid("granted_by").references(() => users.id, { onDelete: "set null" }),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
    /** A5: the grant ends at this moment (the principal's query leaves it out); null: never. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** A7: made by this access rule (lib/properties/rules.ts): not removable by hand, gone when the rule stops matching. */
    ruleId: uuid("rule_id").references((): AnyPgColumn => accessRules.id, { onDelete: "cascade" }),
  },
  (t) => [
    check("role_grants_one_role", sql`(${t.roleKey} is null) <> (${t.customRoleId} is null)`),
    // A role once per person and place (the whole account, or a unit). The account is the
    // nil UUID here because a unique index treats nulls as distinct; NULLS NOT DISTINCT
    // would instead make two custom roles' grants (role_key null) collide. Led by (user,
    // role), so "holds this role" probes it too.
    // A7: and once per rule — a grant by hand and one by a rule are separate rows, each
    // removed by its own way (by hand; when the rule stops matching).
    uniqueIndex("role_grants_user_role_key_unit_rule_unique").on(t.userId, t.roleKey, sql`coalesce(${t.unitId}, '00000000-0000-0000-0000-000000000000'::uuid)`, sql`coalesce(${t.ruleId}, '00000000-0000-0000-0000-000000000000'::uuid)`),
    uniqueIndex("role_grants_user_custom_role_unit_rule_unique").on(t.userId, t.customRoleId, sql`coalesce(${t.unitId}, '00000000-0000-0000-0000-000000000000'::uuid)`, sql`coalesce(${t.ruleId}, '00000000-0000-0000-0000-000000000000'::uuid)`),
    index("role_grants_rule_idx").on(t.ruleId, t.userId).where(sql`${t.ruleId} is not null`),
    // A4: a unit with grants on it is not deleted; this finds them.
    index("role_grants_unit_idx").on(t.unitId).where(sql`${t.unitId} is not null`),
    // The team table's role filter and the last-Admin guard start from the role.
    index("role_grants_account_role_key_idx").on(t.accountId, t.roleKey, t.userId),
    index("role_grants_custom_role_idx").on(t.customRoleId, t.userId),
    index("role_grants_account_expires_idx").on(t.accountId, t.expiresAt, t.userId).where(sql`${t.expiresAt} is not null`),
  ],
);

/**
 * A8: the platform's applications (one catalogue for every account), each with its own
 * roles, one of them given on subscribing.
 */
export const applications = pgTable("applications", {
  id: uuid("id").primaryKey().defaultRandom(),
  key: text("key").notNull().unique(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
});

export const appRoles = pgTable(
  "app_roles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    isDefault: boolean("is_default").notNull().default(false),
  },
  (t) => [uniqueIndex("app_roles_app_key_unique").on(t.applicationId, t.key)],
);

/**
 * A8: a member's subscription to an application, and the app roles it carries. A7: a
 * subscription an access rule makes is its own row carrying the rule's ID and the one app
 * role the rule gives — beside the one given by hand, if any, as a rule's role grant sits
 * beside a hand-given one. So the rule taking back its app role deletes only its row: a
 * member who also had the application by hand keeps it with their own roles, one who had
 * it only by rules loses it. What a member has in an application is the union of their
 * rows (lib/apps/access.ts); changes by hand touch only the row without a rule.
 */
export const appSubscriptions = pgTable(
  "app_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    appRoleKeys: text("app_role_keys").array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** A5: the subscription ends at this moment; null: never. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** A7: made by this access rule: not removable by hand, gone when the rule stops matching. */
    ruleId: uuid("rule_id").references((): AnyPgColumn => accessRules.id, { onDelete: "cascade" }),
  },
  (t) => [
    // One row by hand, and one per rule, for each person and application (nil UUID: see role_grants).
    uniqueIndex("app_subscriptions_user_app_rule_unique").on(t.userId, t.applicationId, sql`coalesce(${t.ruleId}, '00000000-0000-0000-0000-000000000000'::uuid)`),
    index("app_subscriptions_rule_idx").on(t.ruleId, t.userId).where(sql`${t.ruleId} is not null`),
    index("app_subscriptions_account_idx").on(t.accountId),
    index("app_subscriptions_account_expires_idx").on(t.accountId, t.expiresAt, t.userId).where(sql`${t.expiresAt} is not null`),
  ],
);

export type CustomRole = typeof customRoles.$inferSelect;
export type Application = typeof applications.$inferSelect;
