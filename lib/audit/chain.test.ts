import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/db/queries/audit";
import { insertMembers } from "@/db/queries/users";
import { useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, type User } from "@/db/schema";
import { recordAudit, type AuditEvent } from "@/lib/audit";
import { auditVerifyReport } from "./verify-report";

// O1: every row is chained to the one before it in its account; verify names the first
// row that no longer fits, whoever edited the table behind the application's back.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let ada: User;
const context = { ip: "203.0.113.9", userAgent: "vitest" };

const record = (accountId: string, action: AuditEvent, details: Record<string, unknown> = {}) =>
  database.db.transaction((tx) => recordAudit(tx, { accountId, actorId: ada.id, action, target: { type: "user", id: ada.id }, details, context }));
const rowsOf = (accountId: string) => database.db.select().from(auditEvents).where(eq(auditEvents.accountId, accountId)).orderBy(asc(auditEvents.id));

/** What someone with the database's owner role could do: switch the append-only trigger off and edit. */
async function behindTheAppsBack(change: ReturnType<typeof sql>) {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
    await tx.execute(change);
    await tx.execute(sql`alter table audit_events enable trigger audit_events_no_update_delete`);
  });
}

async function newAccount(name: string) {
  const [account] = await database.db.insert(accounts).values({ name }).returning();
  return account.id;
}

beforeAll(async () => {
  database = await useFreshDatabase();
  const accountId = await newAccount("Chain Inc");
  [ada] = await insertMembers(database.db, [{ accountId, email: "ada@chain.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] }]);
});
afterAll(() => database.close());

describe("audit chain", () => {
  it("links each row to the one before it, from the genesis hash", async () => {
    const accountId = await newAccount("Appends");
    await record(accountId, "member.invited", { email: "sam@chain.test" });
    await record(accountId, "member.disabled", { note: "ünïcode \"quoted\" \n new line", n: 1.5 });
    await database.db.transaction((tx) => recordAudit(tx, { accountId, actorId: null, action: "access.expired", context: { ip: null, userAgent: null } }));
    const rows = await rowsOf(accountId);
    expect(rows[0].prevHash).toBe("0".repeat(64));
    expect(rows[1].prevHash).toBe(rows[0].hash);
    expect(rows[2].prevHash).toBe(rows[1].hash);
    expect(await verifyAuditChain(database.db, accountId)).toMatchObject({ rows: 3, broken: null, headHash: rows[2].hash });
    expect(await auditVerifyReport(database.db, [accountId])).toEqual({ broken: 0, lines: [`ok     ${accountId}: 3 rows; head ${rows[2].hash}`] });
  });

  it("keeps each account's chain apart", async () => {
    const one = await newAccount("One");
    const two = await newAccount("Two");
    await record(one, "member.invited");
    await record(two, "member.invited");
    await record(one, "member.enabled");
    const [first, second] = await rowsOf(one);
    expect(second.prevHash).toBe(first.hash);
    expect((await rowsOf(two))[0].prevHash).toBe("0".repeat(64));
    expect((await verifyAuditChain(database.db, one)).broken).toBeNull();
    expect((await verifyAuditChain(database.db, two)).broken).toBeNull();
  });

  it("stays one valid chain when many transactions in one account write at once", async () => {
    const accountId = await newAccount("Concurrent");
    await Promise.all(Array.from({ length: 25 }, (_, i) => record(accountId, "member.roles_changed", { i })));
    const rows = await rowsOf(accountId);
    expect(rows).toHaveLength(25);
    rows.slice(1).forEach((row, i) => expect(row.prevHash).toBe(rows[i].hash));
    expect((await verifyAuditChain(database.db, accountId)).broken).toBeNull();
  });

  it("a row edited in the database directly is named as the first broken row", async () => {
    const accountId = await newAccount("Tampered");
    for (const action of ["member.invited", "member.disabled", "member.enabled", "member.roles_changed"] as const) await record(accountId, action);
    const rows = await rowsOf(accountId);
    await behindTheAppsBack(sql`update audit_events set details = '{"innocent": true}' where id = ${rows[1].id}`);
    const report = await verifyAuditChain(database.db, accountId);
    expect(report.broken).toMatchObject({ id: rows[1].id, action: "member.disabled", problem: "altered" });
    expect(report.broken!.createdAt).toEqual(rows[1].createdAt);
    // What `npm run audit:verify` prints (and, one chain broken, it exits 1).
    const cli = await auditVerifyReport(database.db, [accountId]);
    expect(cli).toEqual({ broken: 1, lines: [`BROKEN ${accountId}: 4 rows; first broken row #${rows[1].id} (${rows[1].createdAt.toISOString()}, member.disabled): altered`] });
  });

  it("an edit re-hashed to match still breaks the link of the row after it", async () => {
    const accountId = await newAccount("Re-hashed");
    for (const action of ["member.invited", "member.disabled", "member.enabled"] as const) await record(accountId, action);
    const rows = await rowsOf(accountId);
    await behindTheAppsBack(sql`update audit_events set action = 'member.invited', hash = encode(sha256(convert_to(prev_hash || 'forged', 'UTF8')), 'hex') where id = ${rows[1].id}`);
    // The forged hash does not match the row's fields either; the earliest problem is that row.
    expect((await verifyAuditChain(database.db, accountId)).broken).toMatchObject({ id: rows[1].id, problem: "altered" });
  });

  it("a row removed from the middle, or the newest one, is caught", async () => {
    const accountId = await newAccount("Removed");
    for (const action of ["member.invited", "member.disabled", "member.enabled", "member.roles_changed"] as const) await record(accountId, action);
    const rows = await rowsOf(accountId);
    await behindTheAppsBack(sql`delete from audit_events where id = ${rows[1].id}`);
    expect((await verifyAuditChain(database.db, accountId)).broken).toMatchObject({ id: rows[2].id, problem: "unlinked" });

    const other = await newAccount("Tail removed");
    for (const action of ["member.invited", "member.disabled"] as const) await record(other, action);
    const [first, last] = await rowsOf(other);
    await behindTheAppsBack(sql`delete from audit_events where id = ${last.id}`);
    expect((await verifyAuditChain(database.db, other)).broken).toMatchObject({ id: first.id, problem: "missing_after" });
  });

  it("the trigger still refuses UPDATE and DELETE from the application", async () => {
    const accountId = await newAccount("Guarded");
    await record(accountId, "member.invited");
    const [row] = await rowsOf(accountId);
    await expect(database.db.update(auditEvents).set({ action: "x" }).where(eq(auditEvents.id, row.id))).rejects.toThrow();
    await expect(database.db.delete(auditEvents).where(eq(auditEvents.id, row.id))).rejects.toThrow();
  });
});
