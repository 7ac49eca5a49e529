import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts, users } from "./accounts";

/**
 * S1: a "Verify it's you" challenge, bound to who asked, which action, which target and
 * which parameters (by hash). Kept in the database so any instance can verify a code
 * another one sent.
 */
export const stepUpChallenges = pgTable(
  "step_up_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    action: text("action").notNull(),
    targetId: text("target_id").notNull(),
    paramsHash: text("params_hash").notNull(),
    /** How the action reads to people ("disable Sam Lee"): a new code's email says it again. */
    actionLabel: text("action_label"),
    /** SHA-256 of the session that asked: another session of the same person cannot spend the code. */
    sessionHash: text("session_hash"),
    /** HMAC-SHA256 of the code under the server key: a 6-digit code's plain hash is trivially reversed. */
    codeHash: text("code_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    failedAttempts: integer("failed_attempts").notNull().default(0),
    codesSent: integer("codes_sent").notNull().default(1),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("step_up_challenges_user_idx").on(t.userId, t.createdAt)],
);

export type StepUpChallenge = typeof stepUpChallenges.$inferSelect;
