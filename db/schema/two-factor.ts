import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";

/** P3: one-time backup codes, stored as keyed hashes. */
export const backupCodes = pgTable(
  "backup_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("backup_codes_user_idx").on(t.userId)],
);

/**
 * A one-time grant to open a session, redeemed by next-auth's Credentials provider.
 * "second-factor" is the half-signed-in state between a right password and the second
 * factor: it is not a session, and only the second-step page accepts it (its token is in
 * a cookie scoped to that page). "ready" grants are redeemed at once by the server.
 */
export const signInGrantStage = pgEnum("sign_in_grant_stage", ["second-factor", "ready"]);

export const signInGrants = pgTable("sign_in_grants", {
  tokenHash: text("token_hash").primaryKey(),
  stage: signInGrantStage("stage").notNull(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  failedAttempts: integer("failed_attempts").notNull().default(0),
  /** O2: how the first factor was proved ("password", "passkey"), recorded when the session opens. */
  method: text("method").notNull().default("password"),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
