import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, invitations, signInAttempts, twoFactorSnapshots, users, type User } from "@/db/schema";
import { JobRunner } from "@/lib/jobs/runner";
import { loadSecurityOverview } from "./overview";
import { twoFactorSnapshotJob, writeTwoFactorSnapshots } from "./snapshots";

// B4: the overview's figures from seeded data — adoption today and from daily snapshots,
// sign-ins per day (API keys left out), people past the 2FA grace period, dormant people,
// open invitations — and the snapshot job run by the job runner.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
let ada: User, bea: User, cal: User, ivy: User;
const DAY = 86_400_000;
const at = new Date("2026-11-30T12:00:00Z");

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db
    .insert(accounts)
    .values({ name: "Overview", enforceTwoFactor: true, twoFactorGraceDays: 7, twoFactorEnforcedSince: new Date(at.getTime() - 10 * DAY) })
    .returning();
  accountId = account.id;
  const person = (local: string, extra: Partial<typeof users.$inferInsert> & { roles?: string[] } = {}) => ({
    accountId,
    email: `${local}@overview.test`,
    name: local,
    status: "active" as const,
    roles: ["member"],
    createdAt: new Date(at.getTime() - 400 * DAY),
    lastActiveAt: new Date(at.getTime() - DAY),
    ...extra,
  });
  [ada, bea, cal, , ivy] = await insertMembers(database.db, [
    person("ada", { roles: ["admin"], totpEnabledAt: new Date() }),
    person("bea", { lastActiveAt: new Date(at.getTime() - 120 * DAY) }),
    person("cal", { lastActiveAt: null }),
    person("dot", { status: "disabled", lastActiveAt: new Date(at.getTime() - 300 * DAY) }),
    person("ivy", { status: "invited", lastActiveAt: null }),
  ]);
  await database.db.insert(invitations).values([
    { accountId, userId: ivy.id, email: ivy.email, tokenHash: "a".repeat(64), expiresAt: new Date(at.getTime() + DAY), createdAt: new Date(at.getTime() - 40 * DAY) },
  ]);
  const attempt = (user: User, result: string, daysAgo: number, method = "password") => ({
    accountId,
    userId: user.id,
    email: user.email,
    result,
    method,
    createdAt: new Date(at.getTime() - daysAgo * DAY),
  });
  await database.db
    .insert(signInAttempts)
    .values([attempt(ada, "success", 0), attempt(ada, "wrong_password", 0), attempt(bea, "wrong_password", 0), attempt(cal, "success", 2), attempt(ada, "success", 0, "api_key"), attempt(ada, "success", 45)]);
  // Yesterday nobody had 2FA yet (the snapshot as the job wrote it then).
  await database.db.insert(twoFactorSnapshots).values({ accountId, day: "2026-11-29", members: 3, withTwoFactor: 0 });
});
afterAll(() => database.close());

describe("loadSecurityOverview", () => {
  it("counts adoption, sign-ins per day, people past the grace period, dormant people and open invitations", async () => {
    const admin = await principalFromDatabase(database.db, ada);
    const overview = await loadSecurityOverview(database.db, admin, at, { dormantDays: 90 });
    expect(overview.today).toEqual({ members: 3, withTwoFactor: 1, percent: 33.3 });
    expect(overview.adoption).toEqual([
      { day: "2026-11-29", members: 3, withTwoFactor: 0, percent: 0 },
      { day: "2026-11-30", members: 3, withTwoFactor: 1, percent: 33.3 },
    ]);
    expect(overview.signInDays).toHaveLength(30);
    expect(overview.signInDays.at(-1)).toEqual({ day: "2026-11-30", succeeded: 1, failed: 2 });
    expect(overview.signInDays.at(-3)).toEqual({ day: "2026-11-28", succeeded: 1, failed: 0 });
    expect(overview.signInTotals).toEqual({ succeeded: 2, failed: 2 });
    // Bea and Cal have no 2FA and the grace period ended three days ago; Dot is disabled.
    expect(overview.pastGrace.count).toBe(2);
    expect(overview.pastGrace.first.map((p) => p.name)).toEqual(["bea", "cal"]);
    // Bea: last active 120 days ago; Cal: never active, added 400 days ago.
    expect(overview.dormant.count).toBe(2);
    expect(overview.dormant.first.map((p) => p.name)).toEqual(["cal", "bea"]);
    expect((await loadSecurityOverview(database.db, admin, at, { dormantDays: 180 })).dormant.count).toBe(1);
    expect(overview.invitations).toEqual({ open: 1, expired: 0, stale: 1 });
  });

  it("names nobody past a grace period that has not ended, nor when 2FA is not enforced", async () => {
    const admin = await principalFromDatabase(database.db, ada);
    expect((await loadSecurityOverview(database.db, admin, new Date(at.getTime() - 5 * DAY), { dormantDays: 90 })).pastGrace.count).toBe(0);
    await database.db.update(accounts).set({ enforceTwoFactor: false }).where(eq(accounts.id, accountId));
    expect((await loadSecurityOverview(database.db, admin, at, { dormantDays: 90 })).pastGrace.count).toBe(0);
    await database.db.update(accounts).set({ enforceTwoFactor: true }).where(eq(accounts.id, accountId));
  });

  it("counts and names only the roles enforcement covers when it covers some", async () => {
    const admin = await principalFromDatabase(database.db, ada);
    try {
      // Admins only: Ada, the one admin, has 2FA — nobody is past the grace period.
      await database.db.update(accounts).set({ twoFactorRoles: ["admin"] }).where(eq(accounts.id, accountId));
      expect((await loadSecurityOverview(database.db, admin, at, { dormantDays: 90 })).pastGrace).toEqual({ count: 0, first: [] });
      // Members: Bea and Cal.
      await database.db.update(accounts).set({ twoFactorRoles: ["member"] }).where(eq(accounts.id, accountId));
      const overview = await loadSecurityOverview(database.db, admin, at, { dormantDays: 90 });
      expect(overview.pastGrace.count).toBe(2);
      expect(overview.pastGrace.first.map((p) => p.name)).toEqual(["bea", "cal"]);
    } finally {
      await database.db.update(accounts).set({ twoFactorRoles: null }).where(eq(accounts.id, accountId));
    }
  });
});

describe("two-factor snapshots", () => {
  it("are written once a day by the job runner, and a second run the same day rewrites the same row", async () => {
    let clock = new Date("2026-12-01T00:05:00Z");
    const runner = new JobRunner({ db: database.db, definitions: [twoFactorSnapshotJob], clock: () => clock });
    await runner.runDue();
    const rows = () => database.db.select().from(twoFactorSnapshots).where(eq(twoFactorSnapshots.accountId, accountId));
    expect((await rows()).find((row) => row.day === "2026-12-01")).toEqual({ accountId, day: "2026-12-01", members: 3, withTwoFactor: 1 });
    await writeTwoFactorSnapshots(database.db, clock);
    expect((await rows()).filter((row) => row.day === "2026-12-01")).toHaveLength(1);
    clock = new Date("2026-12-02T00:05:00Z");
    await runner.runDue();
    expect((await rows()).map((row) => row.day).sort()).toEqual(["2026-11-29", "2026-12-01", "2026-12-02"]);
  });
});
