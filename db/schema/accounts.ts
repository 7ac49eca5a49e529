import { sql, type SQL } from "drizzle-orm";
import { bigint, boolean, index, type AnyPgColumn, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const userStatus = pgEnum("user_status", ["invited", "active", "disabled"]);
/** A3: a person, or a shared workstation bound to a place (never converted into a person). */
export const userKind = pgEnum("user_kind", ["person", "workstation"]);

export const accounts = pgTable("accounts", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  /** P4: "Enforce 2FA", for whom, and from when (the grace period ends at since + days). */
  enforceTwoFactor: boolean("enforce_two_factor").notNull().default(false),
  twoFactorGraceDays: integer("two_factor_grace_days").notNull().default(0),
  twoFactorEnforcedSince: timestamp("two_factor_enforced_since", { withTimezone: true }),
  /** P4: the roles (keys of predefined roles, IDs of custom ones) enforcement applies to; null: everyone. */
  twoFactorRoles: text("two_factor_roles").array(),
  /** A5: how many days before their access expires people are warned by email. */
  expiryWarningDays: integer("expiry_warning_days").notNull().default(7),
  /** O1: how many days audit events are kept; null keeps them forever (the default). */
  auditRetentionDays: integer("audit_retention_days"),
  /** O3: an access review is due this many months after the last one was completed (quarterly by default). */
  reviewEveryMonths: integer("review_every_months").notNull().default(3),
  /** B3: what a SCIM DELETE of a person does — disable them (the default) or anonymise them (T4). */
  scimDeleteAction: text("scim_delete_action", { enum: ["disable", "anonymise"] }).notNull().default("disable"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A member's status in the team table's sort order, alphabetical as the badges read
 * (Active, Disabled, Invited). Not `status::text`: an enum's text may change (RENAME
 * VALUE), so PostgreSQL cannot index it; this expression it can.
 */
export function memberStatusSortKey(status: SQL | AnyPgColumn) {
  return sql`(case ${status} when 'active' then 1 when 'disabled' then 2 when 'invited' then 3 end)`;
}

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    /** Stored lower-cased: one address is one person across every account. */
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    status: userStatus("status").notNull().default("invited"),
    kind: userKind("kind").notNull().default("person"),
    /** A3: where a shared workstation stands ("Plant 2, front desk"); null for people. */
    location: text("location"),
    passwordHash: text("password_hash"),
    /** O4: set by "This wasn't me": the password no longer signs in until a reset link sets a new one. */
    passwordResetRequiredAt: timestamp("password_reset_required_at", { withTimezone: true }),
    lastActiveAt: timestamp("last_active_at", { withTimezone: true }),
    /** P3: AES-256-GCM ciphertext of the TOTP secret once confirmed, and of one being set up. */
    totpSecretEncrypted: text("totp_secret_encrypted"),
    totpPendingSecretEncrypted: text("totp_pending_secret_encrypted"),
    totpEnabledAt: timestamp("totp_enabled_at", { withTimezone: true }),
    /** The last accepted TOTP time step: a code is accepted once only. */
    totpLastTimeStep: bigint("totp_last_time_step", { mode: "number" }),
    /** T7: the IdP's subject for members who sign in through single sign-on. */
    ssoSubject: text("sso_subject"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /** A5: the membership ends at this moment, with no one acting; null: it does not expire. */
    accessExpiresAt: timestamp("access_expires_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(t.email),
    uniqueIndex("users_account_sso_subject_unique").on(t.accountId, t.ssoSubject),
    index("users_account_status_idx").on(t.accountId, t.status),
    // T1: one index per team-table sort, in the order its ORDER BY reads (a descending sort
    // reads the same index backwards; never-active members sort last both ways, so last
    // active needs two). After the unique ID, the columns the filters read (status, the
    // staff rule's email, the name behind lower(name)): a deep page's OFFSET then skips
    // index entries only. Drizzle has no INCLUDE; trailing key columns do the same here.
    index("users_account_name_sort_idx").on(t.accountId, sql`lower(${t.name})`, t.id, t.name, t.status, t.email),
    index("users_account_email_sort_idx").on(t.accountId, t.email, t.id, t.status),
    index("users_account_status_sort_idx").on(t.accountId, memberStatusSortKey(t.status), t.id, t.status, t.email),
    index("users_account_last_active_sort_idx").on(t.accountId, t.lastActiveAt, t.id, t.status, t.email),
    index("users_account_last_active_desc_sort_idx").on(t.accountId, t.lastActiveAt.desc().nullsLast(), t.id.desc().nullsFirst(), t.status, t.email),
    // T1: partial, case-insensitive search at 100,000 members (pg_trgm, see migrations).
    index("users_name_trgm_idx").using("gin", sql`lower(${t.name}) gin_trgm_ops`),
    index("users_email_trgm_idx").using("gin", sql`${t.email} gin_trgm_ops`),
    // A5: the few members whose access expires, for the "Expiring" filter and the jobs.
    index("users_account_access_expires_idx").on(t.accountId, t.accessExpiresAt, t.id).where(sql`${t.accessExpiresAt} is not null`),
  ],
);

export type Account = typeof accounts.$inferSelect;
export type User = typeof users.$inferSelect;
