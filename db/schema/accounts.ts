import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const userRole = pgEnum("user_role", ["primary", "secondary"]);
export const userStatus = pgEnum("user_status", ["invited", "active", "disabled"]);

export const accounts = pgTable("accounts", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

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
    role: userRole("role").notNull().default("secondary"),
    status: userStatus("status").notNull().default("invited"),
    passwordHash: text("password_hash"),
    lastActiveAt: timestamp("last_active_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(t.email),
    index("users_account_status_idx").on(t.accountId, t.status),
    index("users_account_name_idx").on(t.accountId, sql`lower(${t.name})`),
    index("users_account_last_active_idx").on(t.accountId, t.lastActiveAt),
    // T1: partial, case-insensitive search at 100,000 members (pg_trgm, see migrations).
    index("users_name_trgm_idx").using("gin", sql`lower(${t.name}) gin_trgm_ops`),
    index("users_email_trgm_idx").using("gin", sql`${t.email} gin_trgm_ops`),
  ],
);

export type Account = typeof accounts.$inferSelect;
export type User = typeof users.$inferSelect;
