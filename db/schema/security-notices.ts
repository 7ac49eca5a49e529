import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";

/**
 * O4: the "This wasn't me" link each security email carries. Selector and verifier: the
 * selector finds the row, the verifier's SHA-256 is compared in constant time (only the
 * hash is stored). Single use, 7 days; confirming one spends every link of the person.
 */
export const thisWasntMeLinks = pgTable(
  "this_wasnt_me_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    selector: text("selector").notNull(),
    verifierHash: text("verifier_hash").notNull(),
    /** The email it came with ("new-device", "step-up-code"…), for the audit row. */
    notice: text("notice").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("this_wasnt_me_links_selector_unique").on(t.selector), index("this_wasnt_me_links_user_idx").on(t.userId)],
);

/**
 * O4: where a person has signed in from, coarsely: browser family, system and network
 * (an IPv4 /24 or IPv6 /48, never the full address). A sign-in whose browser and system,
 * or whose network, none of the last 90 days' rows has is from a new device.
 */
export const seenDevices = pgTable(
  "seen_devices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    browser: text("browser").notNull(),
    os: text("os").notNull(),
    /** "203.0.113.0/24", "2001:db8:1::/48", or "unknown" when the request had no address. */
    network: text("network").notNull(),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("seen_devices_user_device_unique").on(t.userId, t.browser, t.os, t.network)],
);

export type SeenDevice = typeof seenDevices.$inferSelect;
