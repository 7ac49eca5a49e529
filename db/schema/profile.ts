import { boolean, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts, users } from "./accounts";
import { bytea } from "./columns";

/** P5: a member's own settings, one row per user. */
export const profiles = pgTable("profiles", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  phone: text("phone"),
  /** The re-encoded 256×256 WebP avatar; its update time is the cache version. */
  avatar: bytea("avatar"),
  avatarUpdatedAt: timestamp("avatar_updated_at", { withTimezone: true }),
  productUpdates: boolean("product_updates").notNull().default(true),
  defaultLineOfBusinessId: uuid("default_line_of_business_id").references(() => linesOfBusiness.id, { onDelete: "set null" }),
  highlightedSubAccountIds: uuid("highlighted_sub_account_ids").array().notNull().default([]),
});

/** What the account keeps: its lines of business and sub-accounts, offered in Preferences. */
export const linesOfBusiness = pgTable(
  "lines_of_business",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    name: text("name").notNull(),
  },
  (t) => [index("lines_of_business_account_idx").on(t.accountId)],
);

export const subAccounts = pgTable(
  "sub_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    name: text("name").notNull(),
  },
  (t) => [index("sub_accounts_account_idx").on(t.accountId)],
);

/** P1: single-use reset links, stored as token hashes, valid for an hour. */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    requestedBy: uuid("requested_by").references(() => users.id),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("password_resets_user_idx").on(t.userId)],
);

/** P6: API keys, stored as SHA-256 hashes with a short visible prefix. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    /** P6: what the key may do (lib/api/scopes.ts); a key without a scope can do nothing. */
    scopes: text("scopes").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_keys_user_idx").on(t.userId)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
