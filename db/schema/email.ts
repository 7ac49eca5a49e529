import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts, users } from "./accounts";

/**
 * pending → sending → sent, or back to pending with a later next_attempt_at, or failed
 * after the last attempt. "stored" means no email provider is configured: the message
 * stays here and the Mailbox page shows it.
 */
export const emailStatus = pgEnum("email_status", ["pending", "sending", "sent", "failed", "stored"]);

export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").references(() => accounts.id),
    toAddress: text("to_address").notNull(),
    /** O4: the person a security notice is about, so they can see the notices sent to them. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    subject: text("subject").notNull(),
    /** AES-256-GCM ciphertext of {text, html}: bodies carry codes and links. Cleared once sent. */
    bodyEncrypted: text("body_encrypted"),
    kind: text("kind").notNull(),
    status: emailStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    providerId: text("provider_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    index("email_outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("email_outbox_account_idx").on(t.accountId, t.createdAt),
    index("email_outbox_user_idx").on(t.userId, t.createdAt),
  ],
);

export type OutboxEmail = typeof emailOutbox.$inferSelect;
