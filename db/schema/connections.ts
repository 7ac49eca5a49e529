import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts, users } from "./accounts";

/** B5: what a verified domain does for people of that domain signing in through the IdP. */
export const domainJoinMode = pgEnum("domain_join_mode", ["auto", "approval"]);

/**
 * B5: an email domain an account claims. It grants nothing until the DNS TXT record with
 * its token is found (verified_at); then its people join by the account's choice. One
 * account at a time may hold a domain verified.
 */
export const verifiedDomains = pgTable(
  "verified_domains",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    domain: text("domain").notNull(),
    /** Published as TXT "roster-verification=<token>" at _roster-verification.<domain>. Not a secret. */
    token: text("token").notNull(),
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
    joinMode: domainJoinMode("join_mode").notNull().default("approval"),
    /** A predefined role key (never Admin): what someone who joins automatically gets. */
    defaultRole: text("default_role").notNull().default("member"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("verified_domains_account_domain_unique").on(t.accountId, t.domain),
    uniqueIndex("verified_domains_verified_unique").on(t.domain).where(sql`${t.verifiedAt} is not null`),
  ],
);

/** B5: someone of a verified domain (join by approval) who signed in through the IdP and waits. */
export const joinRequests = pgTable(
  "join_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    ssoSubject: text("sso_subject").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("join_requests_account_subject_unique").on(t.accountId, t.ssoSubject), index("join_requests_account_idx").on(t.accountId, t.createdAt)],
);

/**
 * B5 "Test sign-in": an unsaved IdP configuration kept server-side for one round trip in a
 * popup (lib/connections/idp-test.ts), with the flow's state, nonce and PKCE verifier and
 * its outcome. Only the person who started it reads it; it is useless after 15 minutes.
 */
export const identityProviderTests = pgTable("identity_provider_tests", {
  id: uuid("id").primaryKey().defaultRandom(),
  accountId: uuid("account_id")
    .notNull()
    .references(() => accounts.id),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  issuer: text("issuer").notNull(),
  clientId: text("client_id").notNull(),
  clientSecretEncrypted: text("client_secret_encrypted").notNull(),
  emailDomains: text("email_domains").array().notNull().default(sql`'{}'::text[]`),
  state: text("state"),
  nonce: text("nonce"),
  codeVerifierEncrypted: text("code_verifier_encrypted"),
  /** null while running; then "passed" or "failed" with the message people read. */
  outcome: text("outcome", { enum: ["passed", "failed"] }),
  message: text("message"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type VerifiedDomain = typeof verifiedDomains.$inferSelect;
export type IdentityProviderTest = typeof identityProviderTests.$inferSelect;
