import { boolean, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";

/**
 * P1/T7: an account's OpenID Connect identity provider. The slug names the next-auth
 * provider ("sso-<slug>"), so the callback URL to register at the IdP is stable:
 * {APP_URL}/api/auth/callback/sso-<slug>.
 */
export const identityProviders = pgTable("identity_providers", {
  accountId: uuid("account_id")
    .primaryKey()
    .references(() => accounts.id),
  slug: text("slug").notNull().unique(),
  issuer: text("issuer").notNull(),
  clientId: text("client_id").notNull(),
  clientSecretEncrypted: text("client_secret_encrypted").notNull(),
  /** Email domains whose people may be created on first sign-in (just-in-time). */
  emailDomains: text("email_domains").array().notNull().default([]),
  /** Members sign in only through the IdP; User Management is hidden (T7). */
  ssoOnly: boolean("sso_only").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type IdentityProvider = typeof identityProviders.$inferSelect;
