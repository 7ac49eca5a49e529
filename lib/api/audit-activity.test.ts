import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, apiKeys, rateLimits, roleGrants, signInAttempts, type User } from "@/db/schema";
import { GET as auditEvents } from "@/app/api/v1/audit-events/route";
import { GET as signInAttemptsRoute } from "@/app/api/v1/sign-in-attempts/route";
import { ACTIVITY_SETTLE_SECONDS } from "@/lib/activity/log";
import { createApiKey } from "@/lib/api-keys";
import { recordAudit, type AuditEvent } from "@/lib/audit";
import { setClockForTests } from "@/lib/clock";
import { resetConfigForTests } from "@/lib/config";
import { addMemberToUnit } from "@/lib/org-units/members";
import { createUnit } from "@/lib/org-units/units";
import type { ApiScope } from "./scopes";

// O1/O2 through /api/v1 (a SIEM's poll): the scopes and the owner's permission, the pages'
// filters read strictly, paging back and following forward without a gap or a repeat, a
// unit administrator's reach (A4), other accounts and the vendor's staff (T6) out of sight.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
let ada: User, una: User, emil: User, amy: User, vic: User, eve: User;
let adaKey: string;
const T0 = new Date("2027-03-01T09:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const context = { ip: "198.51.100.9", userAgent: "vitest" };

type Page = { data: Record<string, unknown>[]; nextCursor: string | null };
type Handler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
const get = async (handler: Handler, key: string, path: string) => {
  await database.db.delete(rateLimits);
  return handler(new Request(`http://roster.test/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({}) });
};
const page = async (handler: Handler, key: string, path: string): Promise<Page> => {
  const res = await get(handler, key, path);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
};
/** The numbered events this file recorded (the setup's unit and key events have no number). */
const ns = (body: Page) => body.data.map((event) => (event.details as { n?: number }).n).filter((n) => n !== undefined);

async function record(at: Date, actor: User, action: AuditEvent, target: User, n: number) {
  setClockForTests(at);
  await database.db.transaction((tx) => recordAudit(tx, { accountId: actor.accountId, actorId: actor.id, action, target: { type: "user", id: target.id }, details: { n }, context }));
}

async function keyOf(user: User, scopes: readonly ApiScope[]) {
  const owner = await principalFromDatabase(database.db, user);
  return (await database.db.transaction((tx) => createApiKey(tx, owner, { name: "siem", expiresInDays: null, scopes }))).key;
}

beforeAll(async () => {
  process.env.STAFF_EMAIL_DOMAIN = "vendor.test";
  resetConfigForTests();
  database = await useFreshDatabase();
  const [account, elsewhere] = await database.db.insert(accounts).values([{ name: "Siem Co" }, { name: "Elsewhere" }]).returning();
  accountId = account.id;
  const person = (local: string, domain: string, roles: string[]) => ({ accountId, email: `${local}@${domain}`, name: local, status: "active" as const, passwordHash: "x", roles });
  [ada, una, emil, amy, vic] = await insertMembers(database.db, [person("ada", "siem.test", ["admin"]), person("una", "siem.test", ["member"]), person("emil", "siem.test", ["member"]), person("amy", "siem.test", ["member"]), person("vic", "vendor.test", ["admin"])]);
  [eve] = await insertMembers(database.db, [{ accountId: elsewhere.id, email: "eve@elsewhere.test", name: "Eve", status: "active", passwordHash: "x", roles: ["admin"] }]);
  const actor = { principal: await principalFromDatabase(database.db, ada), request: context };
  const emea = await database.db.transaction((tx) => createUnit(tx, actor, { name: "EMEA", parentId: null }));
  await database.db.transaction((tx) => addMemberToUnit(tx, actor, { userId: emil.id, unitId: emea.id }));
  // Una: Admin on EMEA only, so activity.read reaches Emil and nobody else (and audit.read, nothing).
  await database.db.insert(roleGrants).values({ accountId, userId: una.id, roleKey: "admin", unitId: emea.id });

  // Audit: 7 events by Ada, n 0–6 a minute apart; Vic (staff) acts once and is acted on once; Eve's account has its own.
  for (let n = 0; n < 7; n++) await record(minutes(n), ada, n % 2 ? "member.disabled" : "member.enabled", n % 3 ? amy : emil, n);
  await record(minutes(7), vic, "member.disabled", amy, 100);
  await record(minutes(8), ada, "member.enabled", vic, 101);
  await record(minutes(9), eve, "member.invited", eve, 200);
  // Sign-in attempts an hour before T0: Emil's and Amy's alternate, every third failed; one by Vic; one in Eve's account.
  await database.db.insert(signInAttempts).values([
    ...Array.from({ length: 12 }, (_, i) => ({ accountId, userId: i % 2 ? emil.id : amy.id, email: (i % 2 ? emil : amy).email, result: i % 3 ? "success" : "wrong_password", method: "password", ip: `203.0.113.${i}`, userAgent: "vitest", createdAt: minutes(-60 + i) })),
    { accountId, userId: vic.id, email: vic.email, result: "success", method: "password", ip: null, userAgent: null, createdAt: minutes(-40) },
    { accountId: elsewhere.id, userId: eve.id, email: eve.email, result: "wrong_password", method: "password", ip: null, userAgent: null, createdAt: minutes(-40) },
  ]);
  // Keys are made (and used) at T0 + 1h: after every event above.
  setClockForTests(minutes(60));
  adaKey = await keyOf(ada, ["audit:read", "activity:read"]);
});
afterEach(() => setClockForTests(minutes(60)));
afterAll(async () => {
  setClockForTests(undefined);
  await database.close();
  delete process.env.STAFF_EMAIL_DOMAIN;
  resetConfigForTests();
});

describe("GET /api/v1/audit-events", () => {
  it("needs the audit:read scope, and an owner whose roles read the log", async () => {
    const profileOnly = await keyOf(ada, ["profile:read", "activity:read"]);
    const refused = await get(auditEvents, profileOnly, "/audit-events");
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "insufficient_scope" } });

    // A key that says audit:read, whose owner's roles do not grant audit.read (a role taken away since).
    const unaKey = await keyOf(una, ["profile:read"]);
    await database.db.update(apiKeys).set({ scopes: ["audit:read"] }).where(eq(apiKeys.prefix, unaKey.slice(0, 12)));
    const forbidden = await get(auditEvents, unaKey, "/audit-events");
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { code: "forbidden" } });
  });

  it("lists the account's events newest first with the page's words, without the vendor's staff or another account's", async () => {
    const body = await page(auditEvents, adaKey, "/audit-events?action=member.disabled");
    expect(ns(body)).toEqual([5, 3, 1]);
    expect(body.nextCursor).toBeNull();
    expect(body.data[0]).toMatchObject({
      time: minutes(5).toISOString(),
      actor: { id: ada.id, name: "ada", email: "ada@siem.test", label: "ada@siem.test" },
      action: "member.disabled",
      actionLabel: expect.any(String),
      result: "success",
      target: { type: "user", id: amy.id, email: "amy@siem.test", label: "amy@siem.test" },
      ip: "198.51.100.9",
      userAgent: "vitest",
      details: { n: 5 },
      cursor: expect.any(String),
    });
    const all = await page(auditEvents, adaKey, "/audit-events?limit=200");
    expect(ns(all)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(JSON.stringify(all)).not.toContain("vendor.test");
    expect(JSON.stringify(all)).not.toContain(eve.id);

    // The vendor's own staff see their colleagues (T6).
    const staff = await page(auditEvents, await keyOf(vic, ["audit:read"]), "/audit-events?limit=200");
    expect(ns(staff)).toEqual([101, 100, 6, 5, 4, 3, 2, 1, 0]);
  });

  it("filters as the Audit log page does: actor, target, days, free text", async () => {
    expect(ns(await page(auditEvents, adaKey, `/audit-events?target=emil@siem.test`))).toEqual([6, 3, 0]);
    expect(ns(await page(auditEvents, adaKey, `/audit-events?actor=${ada.id}&target=${amy.id}&action=member.enabled`))).toEqual([4, 2]);
    expect(ns(await page(auditEvents, adaKey, `/audit-events?q=%22n%22%3A%203&from=2027-03-01&to=2027-03-01`))).toEqual([3]);
    expect(ns(await page(auditEvents, adaKey, `/audit-events?from=2027-03-02`))).toEqual([]);
  });

  it("pages back by cursor and follows forward with after: every event once, in order, as new ones arrive", async () => {
    const first = await page(auditEvents, adaKey, "/audit-events?action=member.enabled&limit=2");
    expect(ns(first)).toEqual([6, 4]);
    const second = await page(auditEvents, adaKey, `/audit-events?action=member.enabled&limit=2&cursor=${first.nextCursor}`);
    expect(ns(second)).toEqual([2, 0]);
    expect(second.nextCursor).toBeNull();

    // Following from the oldest event seen: oldest first, two at a time.
    const seen: unknown[] = [];
    let after = second.data[1].cursor as string;
    const poll = async () => {
      for (;;) {
        const body = await page(auditEvents, adaKey, `/audit-events?action=member.enabled&limit=2&after=${after}`);
        seen.push(...ns(body));
        expect(body.nextCursor).not.toBeNull();
        after = body.nextCursor!;
        if (body.data.length < 2) return;
      }
    };
    await poll();
    expect(seen).toEqual([2, 4, 6]);
    // New events arrive between polls — one stamped earlier than those already read (a
    // transaction that took long, or a clock behind): it was recorded later, so it still comes.
    await record(minutes(61), ada, "member.enabled", amy, 7);
    await record(minutes(30), ada, "member.enabled", amy, 8);
    await record(minutes(62), ada, "member.enabled", amy, 9);
    await poll();
    expect(seen).toEqual([2, 4, 6, 7, 8, 9]);
    await poll();
    expect(seen).toEqual([2, 4, 6, 7, 8, 9]);
  });

  it("answers a bad parameter or cursor with 422 and a message that says what is wrong", async () => {
    const cases: [string, RegExp][] = [
      ["?limit=0", /limit/],
      ["?limit=201", /limit/],
      ["?limit=ten", /limit/],
      ["?from=yesterday", /from: a day/],
      ["?action=drop%20table", /action/],
      ["?member=x", /member/],
      ["?actor=" + "a".repeat(201), /actor/],
      ["?sort=time", /Unknown parameter: sort/],
      ["?cursor=nonsense", /cursor/],
      ["?after=", /after/],
      [`?cursor=${Buffer.from("activity:2027-03-01T09:00:00.000000Z_1").toString("base64url")}`, /cursor/],
      ["?cursor=YXVkaXQ6MQ&after=YXVkaXQ6MQ", /not both/],
      // A place no bigint holds: refused here, not by the database (a 500).
      [`?after=${Buffer.from("audit:99999999999999999999").toString("base64url")}`, /after/],
    ];
    for (const [query, message] of cases) {
      const res = await get(auditEvents, adaKey, `/audit-events${query}`);
      expect(res.status, query).toBe(422);
      expect((await res.json()).error.message, query).toMatch(message);
    }
  });
});

describe("GET /api/v1/sign-in-attempts", () => {
  const emails = (body: Page) => body.data.map((attempt) => attempt.email);

  it("needs the activity:read scope", async () => {
    const res = await get(signInAttemptsRoute, await keyOf(ada, ["audit:read"]), "/sign-in-attempts");
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "insufficient_scope" } });
  });

  it("lists the account's attempts newest first, filtered as the Activity page is, without staff or another account's", async () => {
    const failed = await page(signInAttemptsRoute, adaKey, "/sign-in-attempts?result=failed");
    expect(failed.data.map((attempt) => attempt.time)).toEqual([9, 6, 3, 0].map((i) => minutes(-60 + i).toISOString()));
    expect(failed.data[0]).toMatchObject({ user: { id: emil.id, name: "emil" }, email: "emil@siem.test", result: "wrong_password", resultLabel: "Wrong password", failed: true, method: "password", methodLabel: "Password", ip: "203.0.113.9", userAgent: "vitest", cursor: expect.any(String) });
    expect(emails(await page(signInAttemptsRoute, adaKey, `/sign-in-attempts?person=${amy.id}&result=wrong_password`))).toEqual(["amy@siem.test", "amy@siem.test"]);
    expect((await page(signInAttemptsRoute, adaKey, "/sign-in-attempts?method=passkey")).data).toEqual([]);
    const all = await page(signInAttemptsRoute, adaKey, "/sign-in-attempts");
    expect(all.data).toHaveLength(12);
    expect(JSON.stringify(all)).not.toContain("vendor.test");
    expect(JSON.stringify(all)).not.toContain("elsewhere.test");
  });

  it("shows a unit administrator's key only their units' members' attempts", async () => {
    const unaKey = await keyOf(una, ["activity:read"]);
    const body = await page(signInAttemptsRoute, unaKey, "/sign-in-attempts");
    expect(body.data).toHaveLength(6);
    expect(new Set(emails(body))).toEqual(new Set(["emil@siem.test"]));
    expect((await page(signInAttemptsRoute, unaKey, `/sign-in-attempts?person=${amy.id}`)).data).toEqual([]);
  });

  it("pages back and follows forward without a gap or a repeat, listing an attempt once it has settled", async () => {
    const first = await page(signInAttemptsRoute, adaKey, "/sign-in-attempts?method=password&limit=5");
    const second = await page(signInAttemptsRoute, adaKey, `/sign-in-attempts?method=password&limit=5&cursor=${first.nextCursor}`);
    const third = await page(signInAttemptsRoute, adaKey, `/sign-in-attempts?method=password&limit=5&cursor=${second.nextCursor}`);
    expect(third.nextCursor).toBeNull();
    const times = [...first.data, ...second.data, ...third.data].map((attempt) => attempt.time);
    expect(times).toEqual(Array.from({ length: 12 }, (_, i) => minutes(-60 + 11 - i).toISOString()));

    const seen: unknown[] = [];
    let after = third.data.at(-1)!.cursor as string;
    const poll = async () => {
      for (;;) {
        const body = await page(signInAttemptsRoute, adaKey, `/sign-in-attempts?method=password&limit=5&after=${after}`);
        seen.push(...body.data.map((attempt) => attempt.ip));
        after = body.nextCursor!;
        if (body.data.length < 5) return;
      }
    };
    await poll();
    expect(seen).toEqual(Array.from({ length: 11 }, (_, i) => `203.0.113.${i + 1}`));
    // One attempt just made (not yet settled) and one made a minute ago.
    await database.db.insert(signInAttempts).values([
      { accountId, userId: amy.id, email: amy.email, result: "success", method: "password", ip: "192.0.2.1", createdAt: minutes(59) },
      { accountId, userId: amy.id, email: amy.email, result: "success", method: "password", ip: "192.0.2.2", createdAt: minutes(60) },
    ]);
    await poll();
    expect(seen.slice(11)).toEqual(["192.0.2.1"]);
    setClockForTests(new Date(minutes(60).getTime() + ACTIVITY_SETTLE_SECONDS * 1000 + 1));
    await poll();
    expect(seen.slice(11)).toEqual(["192.0.2.1", "192.0.2.2"]);
  });

  it("answers a bad parameter or cursor with 422", async () => {
    const cursorOf = (position: string) => Buffer.from(`activity:${position}`).toString("base64url");
    expect((await page(signInAttemptsRoute, adaKey, `/sign-in-attempts?cursor=${cursorOf("2027-03-01T09:00:00.000000Z_1")}`)).data).toHaveLength(12);
    // Instants PostgreSQL cannot read are refused before it is asked (they were a 500).
    for (const position of ["2027-13-01T09:00:00.000000Z_1", "0000-01-01T00:00:00.000000Z_1", "2027-03-01T25:00:00.000000Z_1", "2027-03-01T09:00:00.000000Z_99999999999999999999"]) {
      expect((await get(signInAttemptsRoute, adaKey, `/sign-in-attempts?cursor=${cursorOf(position)}`)).status, position).toBe(422);
    }
    for (const query of ["?result=maybe", "?method=carrier-pigeon", "?to=2027-02-30x", "?cursor=YXVkaXQ6MQ", "?q=x", `?person=${"a".repeat(321)}`]) {
      const res = await get(signInAttemptsRoute, adaKey, `/sign-in-attempts${query}`);
      expect(res.status, query).toBe(422);
      expect(await res.json()).toMatchObject({ error: { code: expect.stringMatching(/^invalid_/), message: expect.any(String) } });
    }
  });
});
