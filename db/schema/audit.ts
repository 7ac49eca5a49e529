import { sql } from "drizzle-orm";
import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts, users } from "./accounts";

/**
 * O1: append-only; a trigger (see migrations 0001, 0019) refuses UPDATE and TRUNCATE, and
 * DELETE unless the retention job has said so in its own transaction.
 *
 * Tamper evidence: each row's `hash` is SHA-256 of `prev_hash` and the row's canonical
 * text (lib/audit/chain.ts), and `prev_hash` is the hash of the row before it in its
 * account's chain — the chain order is `id` order within an account, which the per-account
 * lock on `audit_chain_heads` makes the order rows were written in.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    accountId: uuid("account_id").references(() => accounts.id),
    actorId: uuid("actor_id").references(() => users.id),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    // The log's pages, newest first, and keyset cursors (created_at, id). Ascending on
    // purpose: read backwards they give ORDER BY … DESC (NULLS FIRST), which drizzle's
    // .desc() (DESC NULLS LAST) would not, leaving a sort of every row of the account.
    index("audit_events_account_created_id_idx").on(t.accountId, t.createdAt, t.id),
    index("audit_events_account_action_created_idx").on(t.accountId, t.action, t.createdAt, t.id),
    index("audit_events_actor_created_idx").on(t.actorId, t.createdAt, t.id),
    index("audit_events_target_created_idx").on(t.targetId, t.createdAt, t.id),
    // The chain's order (verify, retention).
    index("audit_events_account_id_idx").on(t.accountId, t.id),
    // Free text over the details (pg_trgm, migration 0002).
    index("audit_events_details_trgm_idx").using("gin", sql`(${t.details}::text) gin_trgm_ops`),
  ],
);

/**
 * O1: the head of each account's chain — the last row's hash, and where the chain starts
 * once retention has removed its oldest rows (`anchor_hash`: the hash of the last row
 * removed). Writing an audit row locks its account's head row, so concurrent writers in
 * one account chain one after the other. Rows without an account chain under the nil UUID.
 */
export const auditChainHeads = pgTable("audit_chain_heads", {
  accountId: uuid("account_id").primaryKey(),
  lastId: bigint("last_id", { mode: "number" }),
  lastHash: text("last_hash").notNull(),
  anchorId: bigint("anchor_id", { mode: "number" }),
  anchorHash: text("anchor_hash").notNull(),
});

export type AuditEvent = typeof auditEvents.$inferSelect;
