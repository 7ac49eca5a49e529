import { sql } from "drizzle-orm";
import { bigserial, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts, users } from "./accounts";

/**
 * O2: every sign-in attempt, whatever its result and however it was made. Never the
 * password, code or key tried: only who (when known), the address typed (normalised),
 * the result, the method, and where from. `account_id` is null when the address or
 * passkey belongs to nobody (no account can be told of it; kept for the operator).
 * `detail` is a short, non-secret reason (an SSO refusal's code, an API key's prefix).
 */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    accountId: uuid("account_id").references(() => accounts.id),
    // An invitee with attempts may still be revoked (the row goes): the attempts stay, unattributed.
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    email: text("email"),
    result: text("result").notNull(),
    method: text("method").notNull(),
    detail: text("detail"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Ascending on purpose, as the audit log's (db/schema/audit.ts): read backwards they
    // serve ORDER BY created_at DESC, id DESC for keyset pages.
    index("sign_in_attempts_account_created_idx").on(t.accountId, t.createdAt, t.id),
    index("sign_in_attempts_user_created_idx").on(t.userId, t.createdAt, t.id),
    // "Failed only", the Activity page's usual view: the failures alone, however many successes.
    index("sign_in_attempts_account_failed_idx")
      .on(t.accountId, t.createdAt, t.id)
      .where(sql`${t.result} <> 'success'`),
    index("sign_in_attempts_account_method_idx").on(t.accountId, t.method, t.createdAt, t.id),
    // The person filter by address: a member's, or one typed that belongs to nobody yet.
    index("sign_in_attempts_account_email_idx").on(t.accountId, t.email, t.createdAt, t.id),
  ],
);

/**
 * B4: how many members had two-factor authentication each day, written once a day by the
 * job runner (lib/security-overview/snapshots.ts) — the adoption chart's history. Counted
 * then rather than rebuilt from audit events, which retention may remove and which would
 * have to replay every enrolment and passkey change of 100,000 members.
 */
export const twoFactorSnapshots = pgTable(
  "two_factor_snapshots",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    members: integer("members").notNull(),
    withTwoFactor: integer("with_two_factor").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day] })],
);

export type SignInAttempt = typeof signInAttempts.$inferSelect;
