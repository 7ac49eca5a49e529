import { index, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts, users } from "./accounts";

export const contentKind = pgEnum("content_kind", ["chat", "dashboard", "workflow"]);

/** What members own on the platform; it outlives its owner's access (T3). */
export const contentItems = pgTable(
  "content_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    kind: contentKind("kind").notNull(),
    title: text("title").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("content_items_account_idx").on(t.accountId), index("content_items_owner_idx").on(t.ownerId)],
);

export type ContentItem = typeof contentItems.$inferSelect;
