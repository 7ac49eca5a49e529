import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts, users } from "./accounts";

/**
 * O3: an access-review campaign. Its lines are a snapshot taken when it starts, so the
 * evidence stays what the reviewer saw, whatever changes later (a revoked invitation's
 * person is gone, their line stays).
 */
export const accessReviews = pgTable(
  "access_reviews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    name: text("name").notNull(),
    /** People not active for this many days got a line. */
    inactiveDays: integer("inactive_days").notNull(),
    startedBy: uuid("started_by").references(() => users.id, { onDelete: "set null" }),
    startedByName: text("started_by_name").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    /** Set when the last line is decided. */
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [index("access_reviews_account_idx").on(t.accountId, t.startedAt)],
);

export type ReviewReason = "admin" | "inactive" | "expiring" | "no_two_factor" | "old_invitation";
export type ReviewDecision = "keep" | "disable" | "change_role" | "revoke";
/** What a line is about, so Revoke knows what to revoke: a role grant, an invitation, an expiring membership or subscription, or the person. */
export type ReviewSubject =
  | { kind: "person" }
  | { kind: "invitation" }
  | { kind: "membership" }
  | { kind: "role"; role: string; custom: boolean; unitId: string | null }
  | { kind: "app"; appKey: string; appName: string };

export const accessReviewLines = pgTable(
  "access_review_lines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => accessReviews.id, { onDelete: "cascade" }),
    accountId: uuid("account_id").notNull(),
    /** Null once the person is gone (a revoked invitation): the snapshot below stays. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** A4: the person's units and every unit above them when the line was taken: who may see the line. */
    unitLine: jsonb("unit_line").$type<string[]>().notNull().default([]),
    reason: text("reason", { enum: ["admin", "inactive", "expiring", "no_two_factor", "old_invitation"] }).notNull(),
    /** Why it is there, in words ("Admin for the whole account", "Last active 3 March 2026"). */
    why: text("why").notNull(),
    subject: jsonb("subject").$type<ReviewSubject>().notNull(),
    decision: text("decision", { enum: ["keep", "disable", "change_role", "revoke"] }),
    /** What the decision did, in words ("Roles now: Member"). */
    outcome: text("outcome"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedByName: text("decided_by_name"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [index("access_review_lines_review_idx").on(t.reviewId, t.reason, t.email)],
);

/** O3: each reminder once per account, kind and due date, whichever runner sends it. */
export const accessReviewReminders = pgTable(
  "access_review_reminders",
  {
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    kind: text("kind", { enum: ["due", "overdue"] }).notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.kind, t.dueAt] })],
);

export type AccessReview = typeof accessReviews.$inferSelect;
export type AccessReviewLine = typeof accessReviewLines.$inferSelect;
