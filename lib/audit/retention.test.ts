import { asc, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/db/queries/audit";
import { insertMembers } from "@/db/queries/users";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, type User } from "@/db/schema";
import { setClockForTests } from "@/lib/clock";
import { JobRunner } from "@/lib/jobs/runner";
import { recordAudit, type AuditEvent } from "./index";
import { auditRetentionJob, setAuditRetention } from "./retention";

// O1: retention per account (default forever), applied by the job runner, itself audited.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let ada: User, eve: User;
const T0 = new Date("2027-03-01T09:00:00Z");
const daysBefore = (days: number) => new Date(T0.getTime() - days * 86_400_000);
const request = { ip: null, userAgent: "vitest" };

async function recordAt(at: Date, user: User, action: AuditEvent) {
  setClockForTests(at);
  await database.db.transaction((tx) => recordAudit(tx, { accountId: user.accountId, actorId: user.id, action, context: request }));
}
const actionsOf = async (accountId: string) =>
  (await database.db.select().from(auditEvents).where(eq(auditEvents.accountId, accountId)).orderBy(asc(auditEvents.id))).map((row) => row.action);

beforeAll(async () => {
  database = await useFreshDatabase();
  const [kept, forever] = await database.db.insert(accounts).values([{ name: "Keeps 30 days" }, { name: "Keeps forever" }]).returning();
  [ada] = await insertMembers(database.db, [{ accountId: kept.id, email: "ada@retention.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] }]);
  [eve] = await insertMembers(database.db, [{ accountId: forever.id, email: "eve@retention.test", name: "Eve", status: "active", passwordHash: "x", roles: ["admin"] }]);
});
afterEach(() => setClockForTests(undefined));
afterAll(() => database.close());

describe("audit retention", () => {
  it("removes only rows older than the account's period, keeps the chain verifiable, and records it", async () => {
    await recordAt(daysBefore(100), ada, "member.invited");
    await recordAt(daysBefore(40), ada, "member.disabled");
    await recordAt(daysBefore(100), eve, "member.invited");
    setClockForTests(daysBefore(20));
    await database.db.transaction((tx) => setAuditRetention(tx, { principal: currentUserOf(ada), request }, { days: 30 }));
    await recordAt(daysBefore(5), ada, "member.enabled");

    const runner = new JobRunner({ db: database.db, definitions: [auditRetentionJob], clock: () => T0 });
    expect(await runner.runDue()).toBe(1);

    expect(await actionsOf(ada.accountId)).toEqual(["audit.retention_changed", "member.enabled", "audit.retention_applied"]);
    const [applied] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "audit.retention_applied"));
    expect(applied).toMatchObject({ actorId: null, details: { deleted: 2, keepDays: 30, before: daysBefore(30).toISOString(), by: "audit-retention job" } });
    expect((await verifyAuditChain(database.db, ada.accountId)).broken).toBeNull();
    // Keep forever (the default): nothing removed.
    expect(await actionsOf(eve.accountId)).toEqual(["member.invited"]);

    // The same day again: nothing more to remove, nothing more recorded.
    const again = new JobRunner({ db: database.db, definitions: [auditRetentionJob], clock: () => new Date(T0.getTime() + 3_600_000) });
    await again.runDue();
    expect((await actionsOf(ada.accountId)).filter((action) => action === "audit.retention_applied")).toHaveLength(1);
  });

  it("removing the oldest rows without moving the anchor is caught", async () => {
    const [account] = await database.db.insert(accounts).values({ name: "Pruned by hand" }).returning();
    const [bo] = await insertMembers(database.db, [{ accountId: account.id, email: "bo@retention.test", name: "Bo", status: "active", passwordHash: "x", roles: ["admin"] }]);
    await recordAt(daysBefore(3), bo, "member.invited");
    await recordAt(daysBefore(2), bo, "member.disabled");
    const [first, second] = await database.db.select().from(auditEvents).where(eq(auditEvents.accountId, account.id)).orderBy(asc(auditEvents.id));
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('roster.audit_retention', 'on', true)`);
      await tx.delete(auditEvents).where(eq(auditEvents.id, first.id));
    });
    expect((await verifyAuditChain(database.db, account.id)).broken).toMatchObject({ id: second.id, problem: "unlinked" });
  });
});
