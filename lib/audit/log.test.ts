import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { insertMembers } from "@/db/queries/users";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, type User } from "@/db/schema";
import { setClockForTests } from "@/lib/clock";
import { csvCell, csvLine, exportAuditLog } from "./export";
import { parseAuditFilter } from "./filter";
import { recordAudit, type AuditEvent } from "./index";
import { readAuditLog } from "./log";

// O1: the log's pages by keyset, its filters, and the export's format.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let ada: User, sam: User, eve: User;
const T0 = new Date("2027-01-10T12:00:00Z");

async function record(at: Date, actor: User, action: AuditEvent, target: User, details: Record<string, unknown> = {}) {
  setClockForTests(at);
  await database.db.transaction((tx) => recordAudit(tx, { accountId: actor.accountId, actorId: actor.id, action, target: { type: "user", id: target.id }, details, context: { ip: "198.51.100.7", userAgent: "vitest" } }));
}

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account, elsewhere] = await database.db.insert(accounts).values([{ name: "Log Inc" }, { name: "Elsewhere" }]).returning();
  [ada, sam] = await insertMembers(database.db, [
    { accountId: account.id, email: "ada@log.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId: account.id, email: "sam@log.test", name: "Sam", status: "active", passwordHash: "x", roles: ["member"] },
  ]);
  [eve] = await insertMembers(database.db, [{ accountId: elsewhere.id, email: "eve@elsewhere.test", name: "Eve", status: "active", passwordHash: "x", roles: ["admin"] }]);
  // 23 events a minute apart; every third by Sam; two share one instant (the id breaks the tie).
  for (let i = 0; i < 23; i++) {
    const at = new Date(T0.getTime() + Math.min(i, 21) * 60_000);
    await record(at, i % 3 === 0 ? sam : ada, i % 2 ? "member.disabled" : "member.enabled", sam, { n: i, note: i === 5 ? "needle in the haystack" : "hay" });
  }
  await record(T0, eve, "member.invited", eve);
  setClockForTests(undefined);
});
afterEach(() => setClockForTests(undefined));
afterAll(() => database.close());

const viewer = () => currentUserOf(ada);
const ns = (entries: { details: Record<string, unknown> }[]) => entries.map((entry) => entry.details.n);

describe("reading the audit log", () => {
  it("pages down and back up by keyset without losing or repeating a row", async () => {
    const first = await readAuditLog(database.db, viewer(), {}, {}, 10);
    expect(ns(first.entries)).toEqual([22, 21, 20, 19, 18, 17, 16, 15, 14, 13]);
    expect(first.newer).toBeNull();
    const second = await readAuditLog(database.db, viewer(), {}, { older: first.older! }, 10);
    expect(ns(second.entries)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    const third = await readAuditLog(database.db, viewer(), {}, { older: second.older! }, 10);
    expect(ns(third.entries)).toEqual([2, 1, 0]);
    expect(third.older).toBeNull();
    const back = await readAuditLog(database.db, viewer(), {}, { newer: third.newer! }, 10);
    expect(ns(back.entries)).toEqual(ns(second.entries));
    const top = await readAuditLog(database.db, viewer(), {}, { newer: back.newer! }, 10);
    expect(ns(top.entries)).toEqual(ns(first.entries));
    // Another account's events never appear.
    expect([...first.entries, ...second.entries, ...third.entries].some((entry) => entry.actorId === eve.id)).toBe(false);
  });

  it("filters by action, actor (address or ID), target, dates and free text", async () => {
    const read = async (params: Record<string, string>) => ns((await readAuditLog(database.db, viewer(), parseAuditFilter(params), {}, 50)).entries);
    expect(await read({ action: "member.disabled" })).toEqual([21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1]);
    expect(await read({ actor: "sam@log.test" })).toEqual([21, 18, 15, 12, 9, 6, 3, 0]);
    expect(await read({ actor: sam.id, action: "member.enabled" })).toEqual([18, 12, 6, 0]);
    expect(await read({ actor: "eve@elsewhere.test" })).toEqual([]);
    expect(await read({ target: "sam@log.test", q: "NEEDLE" })).toEqual([5]);
    expect(await read({ q: "100%_" })).toEqual([]);
    expect(await read({ from: "2027-01-11" })).toEqual([]);
    expect((await read({ from: "2027-01-10", to: "2027-01-10" })).length).toBe(23);
    // Anything else in the URL is ignored rather than trusted.
    expect(parseAuditFilter({ action: "drop table", from: "yesterday", member: "x" })).toEqual({});
  });

  it("labels each event and says its result", async () => {
    const { entries } = await readAuditLog(database.db, viewer(), { action: "member.enabled" }, {}, 1);
    expect(entries[0]).toMatchObject({ label: "Enabled a member", result: "success", targetLabel: "sam@log.test", ip: "198.51.100.7", userAgent: "vitest", actorEmail: "ada@log.test" });
  });
});

describe("exporting the audit log", () => {
  it("escapes CSV cells and defuses formulas", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(["+1", "-1", "@SUM(A1)", "\tx"].map(csvCell)).toEqual(["'+1", "'-1", "'@SUM(A1)", "'\tx"]);
    expect(csvLine(["a", null, "b"])).toBe("a,,b\r\n");
  });

  it("streams the filtered log as CSV and JSON Lines, first line the filter, and is audited", async () => {
    const actor = { principal: viewer(), request: { ip: "192.0.2.1", userAgent: "vitest" } };
    const text = async (format: "csv" | "jsonl") => new Response(await exportAuditLog(database.db, actor, { action: "member.disabled" }, format, T0)).text();
    const csv = (await text("csv")).split("\r\n");
    expect(csv[0]).toContain("filter: action=member.disabled");
    expect(csv[1]).toBe("time,actor_id,actor_email,action,action_label,result,target_type,target_id,target_email,ip,user_agent,details");
    expect(csv.filter((line) => line.includes(",member.disabled,"))).toHaveLength(11);
    expect(csv[2]).toContain(`,member.disabled,Disabled a member,success,user,${sam.id},sam@log.test,198.51.100.7,vitest,"{""n"":21,""note"":""hay""}"`);

    const lines = (await text("jsonl")).trim().split("\n").map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ export: { filter: { action: "member.disabled" } } });
    expect(lines.slice(1).map((line) => line.details.n)).toEqual([21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1]);

    const exported = await readAuditLog(database.db, viewer(), { action: "audit.exported" }, {}, 10);
    expect(exported.entries.map((entry) => entry.details)).toEqual([
      { filter: { action: "member.disabled" }, format: "jsonl" },
      { filter: { action: "member.disabled" }, format: "csv" },
    ]);
  });
});
