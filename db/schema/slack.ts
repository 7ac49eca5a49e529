import { boolean, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";

/** I1: the Slack workspace an account connected, and who may invoke the bot there. */
export const slackConnections = pgTable("slack_connections", {
  accountId: uuid("account_id")
    .primaryKey()
    .references(() => accounts.id),
  teamId: text("team_id").notNull().unique(),
  teamName: text("team_name").notNull(),
  allowNonMembers: boolean("allow_non_members").notNull().default(false),
  connectedAt: timestamp("connected_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Signatures of Slack requests already handled: a replayed request is refused. */
export const slackRequestReceipts = pgTable("slack_request_receipts", {
  signature: text("signature").primaryKey(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});
