import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * The scheduled-jobs runner's queue (lib/jobs). A job is due once `run_at` has passed on
 * the runner's clock; a runner claims it with FOR UPDATE SKIP LOCKED and holds it until
 * `locked_until`, after which another runner may take it over. `key` makes scheduling
 * idempotent: a recurring job's key is its slot ("2026-12-01T10:05:00.000Z"), so every
 * instance may schedule the same slot and one row — one run — results.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    key: text("key").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    /** pending → running → done, or back to pending with a later run_at, or failed after the last attempt. */
    status: text("status", { enum: ["pending", "running", "done", "failed"] }).notNull().default("pending"),
    runAt: timestamp("run_at", { withTimezone: true }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lockedBy: text("locked_by"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("jobs_name_key_unique").on(t.name, t.key), index("jobs_due_idx").on(t.status, t.runAt)],
);

/**
 * A5: what the expiry jobs have already said, so each thing is recorded as expired, and
 * its person warned, once per expiry value (renewing sets a new value: a new warning).
 */
export const expiryNotices = pgTable(
  "expiry_notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull(),
    kind: text("kind", { enum: ["warning", "expired"] }).notNull(),
    /** membership (a user's ID), role_grant or app_subscription (the row's ID). */
    subjectType: text("subject_type", { enum: ["membership", "role_grant", "app_subscription"] }).notNull(),
    subjectId: uuid("subject_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("expiry_notices_once").on(t.kind, t.subjectType, t.subjectId, t.expiresAt)],
);

export type Job = typeof jobs.$inferSelect;
