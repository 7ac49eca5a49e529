import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts, users } from "./accounts";
import { appRoles, customRoles } from "./roles";
import { units } from "./units";

export const PROPERTY_TYPES = ["text", "choice", "date", "unit"] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** A7: a property an account defines for its people ("site", "cost centre", "start date"). */
export const userProperties = pgTable(
  "user_properties",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    key: text("key").notNull(),
    label: text("label").notNull(),
    type: text("type", { enum: PROPERTY_TYPES }).notNull(),
    /** For a choice: the allowed values, in the order shown. */
    choices: jsonb("choices").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("user_properties_account_key_unique").on(t.accountId, t.key), check("user_properties_type", sql`${t.type} in ('text', 'choice', 'date', 'unit')`)],
);

/**
 * A7: one person's value of one property. `value` is always the text rules and the team
 * filter match on (a date as YYYY-MM-DD, a unit as its ID); a unit value also keeps the
 * unit's ID as a foreign key, so a unit someone's property names is not deleted under it.
 */
export const userPropertyValues = pgTable(
  "user_property_values",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    propertyId: uuid("property_id")
      .notNull()
      .references(() => userProperties.id, { onDelete: "cascade" }),
    value: text("value").notNull(),
    unitId: uuid("unit_id").references(() => units.id, { onDelete: "restrict" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // (property, value) first: the team filter and rule evaluation start from a value.
  (t) => [primaryKey({ columns: [t.userId, t.propertyId] }), index("user_property_values_property_value_idx").on(t.propertyId, t.value, t.userId)],
);

/**
 * A7: "people whose <property> is <value> get <role> [on <unit>]", or "… get <app role>"
 * (A8). The grants it makes are role_grants rows, or app_subscriptions rows, carrying its
 * ID (lib/properties/rules.ts applyRules keeps them).
 */
export const accessRules = pgTable(
  "access_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    name: text("name").notNull(),
    // Restrict: a property a rule matches on is not deleted (lib/properties refuses first).
    propertyId: uuid("property_id")
      .notNull()
      .references(() => userProperties.id, { onDelete: "restrict" }),
    value: text("value").notNull(),
    roleKey: text("role_key"),
    customRoleId: uuid("custom_role_id").references(() => customRoles.id, { onDelete: "restrict" }),
    unitId: uuid("unit_id").references(() => units.id, { onDelete: "restrict" }),
    /** A8: the rule gives this app role (a subscription to its application) instead of a role. */
    appRoleId: uuid("app_role_id").references(() => appRoles.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Exactly one of a predefined role, a custom role or an app role; an app role is never on a unit.
    check("access_rules_one_grant", sql`num_nonnulls(${t.roleKey}, ${t.customRoleId}, ${t.appRoleId}) = 1 and (${t.appRoleId} is null or ${t.unitId} is null)`),
    uniqueIndex("access_rules_account_name_unique").on(t.accountId, sql`lower(${t.name})`),
    index("access_rules_property_idx").on(t.propertyId),
  ],
);

export type UserProperty = typeof userProperties.$inferSelect;
export type AccessRule = typeof accessRules.$inferSelect;
