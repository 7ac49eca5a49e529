import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, roleGrants, signInAttempts, type User } from "@/db/schema";
import { eq } from "drizzle-orm";
import { can } from "@/lib/auth/principal";
import { addMemberToUnit } from "@/lib/org-units/members";
import { createUnit } from "@/lib/org-units/units";
import { exportActivity } from "./export";
import { parseActivityFilter } from "./filter";
import { readActivity, readOwnSignIns } from "./log";

// O2: the Activity page's reads — keyset pages both ways, the filters, and a unit
// administrator's reach (A4) — and the streamed CSV export, audited.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
let ada: User, una: User, emil: User, amy: User;
const request = { ip: "203.0.113.8", userAgent: "vitest" };
const start = Date.parse("2026-11-01T00:00:00Z");

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Activity reads" }).returning();
  accountId = account.id;
  const person = (local: string, roles: string[] = ["member"]) => ({ accountId, email: `${local}@reads.test`, name: local, status: "active" as const, passwordHash: "x", roles });
  [ada, una, emil, amy] = await insertMembers(database.db, [person("ada", ["admin"]), person("una"), person("emil"), person("amy")]);
  const actor = { principal: await principalFromDatabase(database.db, ada), request };
  const emea = await database.db.transaction((tx) => createUnit(tx, actor, { name: "EMEA", parentId: null }));
  await database.db.transaction((tx) => addMemberToUnit(tx, actor, { userId: emil.id, unitId: emea.id }));
  // Una: Admin on EMEA only, so activity.read reaches Emil and nobody else.
  await database.db.insert(roleGrants).values({ accountId, userId: una.id, roleKey: "admin", unitId: emea.id });
  // 130 attempts, one a minute: every third failed; Emil's and Amy's alternate; a few by nobody's address.
  const rows = Array.from({ length: 130 }, (_, i) => {
    const who = i % 2 ? emil : amy;
    const stranger = i % 10 === 9;
    return {
      accountId,
      userId: stranger ? null : who.id,
      email: stranger ? "stranger@reads.test" : who.email,
      result: i % 3 === 0 ? "wrong_password" : "success",
      method: i % 5 === 0 ? "passkey" : "password",
      ip: `198.51.100.${i}`,
      userAgent: "vitest",
      createdAt: new Date(start + i * 60_000),
    };
  });
  await database.db.insert(signInAttempts).values(rows);
});
afterAll(() => database.close());

const ids = (entries: { id: number }[]) => entries.map((entry) => entry.id);

describe("readActivity", () => {
  it("pages by keyset, newest first, down and back up to the same rows", async () => {
    const admin = await principalFromDatabase(database.db, ada);
    const first = await readActivity(database.db, admin, {}, {}, 50);
    expect(first.entries).toHaveLength(50);
    expect(first.entries[0].createdAt.getTime()).toBe(start + 129 * 60_000);
    expect(first.newer).toBeNull();
    const second = await readActivity(database.db, admin, {}, { older: first.older! }, 50);
    const third = await readActivity(database.db, admin, {}, { older: second.older! }, 50);
    expect(third.entries).toHaveLength(30);
    expect(third.older).toBeNull();
    expect(new Set([...ids(first.entries), ...ids(second.entries), ...ids(third.entries)]).size).toBe(130);
    const back = await readActivity(database.db, admin, {}, { newer: third.newer! }, 50);
    expect(ids(back.entries)).toEqual(ids(second.entries));
  });

  it("filters by failures, method, person and days (from the URL)", async () => {
    const admin = await principalFromDatabase(database.db, ada);
    const failed = await readActivity(database.db, admin, parseActivityFilter({ result: "failed" }), {}, 200);
    expect(failed.entries).toHaveLength(44);
    expect(failed.entries.every((entry) => entry.failed && entry.resultLabel === "Wrong password")).toBe(true);
    const passkeys = await readActivity(database.db, admin, parseActivityFilter({ method: "passkey", result: "nonsense" }), {}, 200);
    expect(passkeys.entries).toHaveLength(26);
    const byAddress = await readActivity(database.db, admin, parseActivityFilter({ person: "Stranger@reads.test" }), {}, 200);
    expect(byAddress.entries).toHaveLength(13);
    const byId = await readActivity(database.db, admin, parseActivityFilter({ person: emil.id }), {}, 200);
    expect(byId.entries.every((entry) => entry.userId === emil.id && entry.userName === "emil")).toBe(true);
    const none = await readActivity(database.db, admin, parseActivityFilter({ from: "2026-11-02", to: "2026-11-30" }), {}, 200);
    expect(none.entries).toHaveLength(0);
    const day = await readActivity(database.db, admin, parseActivityFilter({ from: "2026-11-01", to: "2026-11-01" }), {}, 200);
    expect(day.entries).toHaveLength(130);
  });

  it("shows a unit administrator the attempts of their units' members only (A4)", async () => {
    const unitAdmin = await principalFromDatabase(database.db, una);
    expect(can(unitAdmin, "activity.read")).toBe(true);
    const seen = await readActivity(database.db, unitAdmin, {}, {}, 200);
    expect(seen.entries.length).toBeGreaterThan(0);
    expect(seen.entries.every((entry) => entry.userId === emil.id)).toBe(true);
    // Nobody's address and another unit's member read as nothing at all.
    expect((await readActivity(database.db, unitAdmin, { person: amy.id }, {}, 200)).entries).toHaveLength(0);
    expect((await readActivity(database.db, unitAdmin, { person: "stranger@reads.test" }, {}, 200)).entries).toHaveLength(0);
    const member = await principalFromDatabase(database.db, amy);
    expect(can(member, "activity.read")).toBe(false);
  });

  it("gives a person their own attempts only, the most recent first, and says when there are more", async () => {
    const own = await readOwnSignIns(database.db, amy, 10);
    expect(own.entries).toHaveLength(10);
    expect(own.more).toBe(true);
    expect(own.entries.every((entry) => entry.userId === amy.id)).toBe(true);
    expect(own.entries[0].createdAt > own.entries[9].createdAt).toBe(true);
  });
});

describe("exportActivity", () => {
  it("streams the filtered attempts as CSV with a heading naming the filter, and audits the export", async () => {
    const admin = await principalFromDatabase(database.db, ada);
    const stream = await exportActivity(database.db, { principal: admin, request }, { result: "failed" }, new Date("2026-11-30T10:00:00Z"));
    const text = await new Response(stream).text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe(`# Roster sign-in activity export; account ${accountId}; filter: failed attempts only; exported 2026-11-30T10:00:00.000Z`);
    expect(lines[1]).toBe("time,user_id,email,result,result_label,method,method_label,detail,ip,user_agent");
    expect(lines).toHaveLength(2 + 44);
    // The newest failure (the 130th attempt) was by nobody's address: no member ID.
    expect(lines[2]).toBe("2026-11-01T02:09:00.000Z,,stranger@reads.test,wrong_password,Wrong password,password,Password,,198.51.100.129,vitest");
    const [audited] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "activity.exported"));
    expect(audited).toMatchObject({ actorId: ada.id, details: { filter: { result: "failed" }, format: "csv" } });
  });
});

describe("retention", () => {
  it("removes an account's attempts older than its audit retention, with the audit log's rows, and says how many", async () => {
    const { applyAuditRetention } = await import("@/lib/audit/retention");
    await database.db.update(accounts).set({ auditRetentionDays: 30 }).where(eq(accounts.id, accountId));
    await applyAuditRetention(database.db, new Date("2026-12-20T00:00:00Z"));
    expect(await database.db.select().from(signInAttempts).where(eq(signInAttempts.accountId, accountId))).toHaveLength(0);
    const [applied] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "audit.retention_applied"));
    expect(applied.details).toMatchObject({ signInAttempts: 130, keepDays: 30 });
  });
});
