import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { accounts, auditEvents } from "./schema";
import { useFreshDatabase } from "./testing";
import { recordAudit } from "@/lib/audit";
import { eq, sql } from "drizzle-orm";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;

beforeAll(async () => {
  // From an empty database, not the suite's migrated template: this is about migrating.
  database = await useFreshDatabase({ fromEmpty: true });
});
afterAll(() => database.close());

describe(`migrations (${process.env.DATABASE_URL ? "PostgreSQL server" : "embedded PGlite"})`, () => {
  it("create every table on an empty database", async () => {
    const rows = await database.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
    // postgres.js returns an array, PGlite an object with rows.
    const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { table_name: string }[];
    expect(list.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["accounts", "users", "sessions", "audit_events", "email_outbox", "resources", "rate_limits"]),
    );
  });

  it("are idempotent: opening the same database again applies nothing twice", async () => {
    if (database.url) {
      const again = await openDatabase({ kind: "postgres", url: database.url });
      await again.close();
    }
    const [account] = await database.db.insert(accounts).values({ name: "Still here" }).returning();
    expect(account.id).toMatch(/[0-9a-f-]{36}/);
  });

  it("make the audit trail append-only", async () => {
    await recordAudit(database.db, { action: "member.invited", accountId: null, actorId: null, context: { ip: null, userAgent: null } });
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "member.invited"));
    await expect(database.db.update(auditEvents).set({ action: "tampered" }).where(eq(auditEvents.id, event.id))).rejects.toThrow();
    await expect(database.db.delete(auditEvents).where(eq(auditEvents.id, event.id))).rejects.toThrow();
    const [still] = await database.db.select().from(auditEvents).where(eq(auditEvents.id, event.id));
    expect(still.action).toBe("member.invited");
  });
});
