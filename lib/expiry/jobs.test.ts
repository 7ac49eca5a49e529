import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { insertSubscription, listApplications } from "@/db/queries/apps";
import { insertMembers } from "@/db/queries/users";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, emailOutbox, type User } from "@/db/schema";
import { setClockForTests } from "@/lib/clock";
import { readBody } from "@/lib/email";
import { JobRunner } from "@/lib/jobs/runner";
import { setMemberRoles } from "@/lib/team/roles";
import { setAccessExpiry } from "./access";
import { accessExpiryJob, expiryWarningJob, recordExpiredAccess, sendExpiryWarnings } from "./jobs";
import { setExpiryWarningDays } from "./settings";

// A5: the jobs that write expiry down and warn people, each once, on an injected clock.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let ada: User, sam: User, kim: User, other: User, accountId: string;
const request = { ip: null, userAgent: "vitest" };
const as = (user: User) => ({ principal: currentUserOf(user), request });
const T0 = new Date("2026-12-01T10:00:00Z");
const at = (iso: string) => new Date(iso);

const mailTo = async (email: string, kind: string) =>
  (await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.kind, kind)))).map((row) => ({ subject: row.subject, text: readBody(row)!.text }));
const expiredEvents = () => database.db.select().from(auditEvents).where(eq(auditEvents.action, "access.expired"));

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account, elsewhere] = await database.db.insert(accounts).values([{ name: "Jobs Inc" }, { name: "Elsewhere" }]).returning();
  accountId = account.id;
  [ada, , sam, kim] = await insertMembers(database.db, [
    { accountId, email: "ada@jobs.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId, email: "bo@jobs.test", name: "Bo", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId, email: "sam@jobs.test", name: "Sam Lee", status: "active", passwordHash: "x", roles: ["member"] },
    { accountId, email: "kim@jobs.test", name: "Kim", status: "active", passwordHash: "x", roles: ["member"] },
  ]);
  [other] = await insertMembers(database.db, [{ accountId: elsewhere.id, email: "eve@elsewhere.test", name: "Eve", status: "active", passwordHash: "x", roles: ["admin"] }]);

  setClockForTests(T0);
  // Sam: membership until 10 Dec, Developer until 5 Dec, Studio until 6 Dec. Kim: membership until 20 Dec.
  await database.db.transaction(async (tx) => {
    await setMemberRoles(tx, as(ada), { userId: sam.id, roles: ["member", "developer"], expiresAt: "2026-12-05T09:00:00.000Z" });
    await setAccessExpiry(tx, as(ada), { userId: sam.id, target: { kind: "membership" }, expiresAt: "2026-12-10T09:00:00.000Z" });
    await setAccessExpiry(tx, as(ada), { userId: kim.id, target: { kind: "membership" }, expiresAt: "2026-12-20T09:00:00.000Z" });
  });
  const [studio] = (await listApplications(database.db)).filter((app) => app.key === "studio");
  await insertSubscription(database.db, { accountId, userId: sam.id, applicationId: studio.id, appRoleKeys: ["user"], expiresAt: at("2026-12-06T09:00:00Z") });
});
afterEach(() => setClockForTests(undefined));
afterAll(() => database.close());

describe("expiry-warning", () => {
  it("warns each person once, N days ahead (7 unless an Admin chose otherwise), listing what ends", async () => {
    // 27 Nov + 7 days reaches 4 Dec: nothing of Sam's yet.
    expect(await sendExpiryWarnings(database.db, at("2026-11-27T09:00:00Z"))).toBe(0);
    // 29 Nov: the Developer role (5 Dec) and Studio (6 Dec) are within 7 days; the membership (10 Dec) is not.
    expect(await sendExpiryWarnings(database.db, at("2026-11-29T10:00:00Z"))).toBe(2);
    let mail = await mailTo("sam@jobs.test", "access-expiry-warning");
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe("Your access to Jobs Inc on Roster expires soon");
    expect(mail[0].text).toContain("the Developer role — 5 Dec 2026, 09:00 UTC");
    expect(mail[0].text).toContain("access to Studio — 6 Dec 2026, 09:00 UTC");
    expect(mail[0].text).not.toContain("membership");

    // Later runs warn about the same things never again, and about the membership once it is near.
    expect(await sendExpiryWarnings(database.db, at("2026-11-30T10:00:00Z"))).toBe(0);
    expect(await sendExpiryWarnings(database.db, at("2026-12-03T10:00:00Z"))).toBe(1);
    mail = await mailTo("sam@jobs.test", "access-expiry-warning");
    expect(mail).toHaveLength(2);
    expect(mail[1].text).toContain("membership of Jobs Inc — 10 Dec 2026, 09:00 UTC");

    // Kim's membership ends on 20 Dec: with 21 days' warning she hears on 3 Dec too.
    expect(await mailTo("kim@jobs.test", "access-expiry-warning")).toHaveLength(0);
    setClockForTests(T0);
    await database.db.transaction((tx) => setExpiryWarningDays(tx, as(ada), { days: 21 }));
    expect(await sendExpiryWarnings(database.db, at("2026-12-03T10:00:00Z"))).toBe(1);
    expect(await mailTo("kim@jobs.test", "access-expiry-warning")).toHaveLength(1);
    const [changed] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "access.warning_days_changed"));
    expect(changed.details).toMatchObject({ before: 7, after: 21 });
  });
});

describe("access-expiry", () => {
  it("records each expired thing once in the audit trail and sends the account's Admins one summary per run", async () => {
    expect(await recordExpiredAccess(database.db, at("2026-12-05T08:59:59Z"))).toBe(0);
    expect(await recordExpiredAccess(database.db, at("2026-12-06T09:00:00Z"))).toBe(2);
    const events = await expiredEvents();
    expect(events.map((event) => [event.accountId, event.actorId, event.targetId, event.details.label]).sort()).toEqual(
      [
        [accountId, null, sam.id, "access to Studio"],
        [accountId, null, sam.id, "the Developer role"],
      ].sort(),
    );
    for (const admin of ["ada@jobs.test", "bo@jobs.test"]) {
      const [summary, ...more] = await mailTo(admin, "access-expired-summary");
      expect(more).toHaveLength(0);
      expect(summary.subject).toBe("Access expired in Jobs Inc: 2 items");
      expect(summary.text).toContain("Sam Lee (sam@jobs.test): the Developer role — 5 Dec 2026, 09:00 UTC");
    }
    // Nobody else's admins hear of it (A1).
    expect(await mailTo(other.email, "access-expired-summary")).toHaveLength(0);
    // The same moment again, or later with nothing new: nothing more.
    expect(await recordExpiredAccess(database.db, at("2026-12-06T09:00:00Z"))).toBe(0);
    expect(await recordExpiredAccess(database.db, at("2026-12-09T00:00:00Z"))).toBe(0);
    expect(await expiredEvents()).toHaveLength(2);
  });

  it("runs as a scheduled job: two runners, one run per slot, and a renewed expiry is recorded again when it passes", async () => {
    let clock = at("2026-12-10T09:01:00Z");
    const runners = ["a", "b"].map((id) => new JobRunner({ db: database.db, definitions: [accessExpiryJob, expiryWarningJob], clock: () => clock, workerId: id }));
    await Promise.all(runners.map((runner) => runner.runDue()));
    // Sam's membership (10 Dec, 09:00) is recorded once, whichever runner ran the slot.
    let membership = (await expiredEvents()).filter((event) => event.details.what === "membership");
    expect(membership).toHaveLength(1);
    expect(await mailTo("ada@jobs.test", "access-expired-summary")).toHaveLength(2);

    // Renewed until the 12th, it expires again then: a second record for the new expiry.
    setClockForTests(at("2026-12-10T10:00:00Z"));
    await database.db.transaction((tx) => setAccessExpiry(tx, as(ada), { userId: sam.id, target: { kind: "membership" }, expiresAt: "2026-12-12T09:00:00.000Z", renew: true }));
    clock = at("2026-12-12T09:05:00Z");
    await Promise.all(runners.map((runner) => runner.runDue()));
    membership = (await expiredEvents()).filter((event) => event.details.what === "membership");
    expect(membership.map((event) => event.details.expiresAt)).toEqual(["2026-12-10T09:00:00.000Z", "2026-12-12T09:00:00.000Z"]);
  });
});
