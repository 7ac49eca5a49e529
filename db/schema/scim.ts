import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts, users } from "./accounts";

/**
 * B3: an account's SCIM bearer tokens. Stored like API keys (a SHA-256 hash and a short
 * prefix; the token is shown once). `permissions`: what the token may do — those its
 * creator held for the whole account when they made it, so a token never exceeds its maker.
 */
export const scimTokens = pgTable(
  "scim_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    permissions: text("permissions").array().notNull().default([]),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("scim_tokens_account_idx").on(t.accountId)],
);

/**
 * B3: what the identity provider knows a member by — its userName (often not the email:
 * Entra sends the UPN), externalId, and the name parts it sent. A member without a row
 * reads as userName = their email. `deletedAt`: the IdP deleted them (they are disabled,
 * their content kept); the SCIM endpoint no longer returns them.
 */
export const scimIdentities = pgTable(
  "scim_identities",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    userName: text("user_name").notNull(),
    externalId: text("external_id"),
    givenName: text("given_name"),
    familyName: text("family_name"),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // RFC 7643: userName is unique and not case-exact.
    uniqueIndex("scim_identities_account_user_name_unique").on(t.accountId, sql`lower(${t.userName})`),
    uniqueIndex("scim_identities_account_external_id_unique").on(t.accountId, t.externalId).where(sql`${t.externalId} is not null`),
  ],
);

export type ScimToken = typeof scimTokens.$inferSelect;
