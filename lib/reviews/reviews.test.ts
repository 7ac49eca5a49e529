import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { insertSubscription, listApplications, subscriptionsOf } from "@/db/queries/apps";
import { rolesOfMember } from "@/db/queries/roles";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accessReviews, accounts, auditEvents, invitations, users, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { setClockForTests } from "@/lib/clock";
import { addMemberToUnit } from "@/lib/org-units/members";
import { createUnit } from "@/lib/org-units/units";
import { createCustomRole } from "@/lib/team/custom-roles";
import { setMemberRoles } from "@/lib/team/roles";
import { startReview } from "./campaigns";
import { checkDecision, decideReviewLine, type DecisionInput } from "./decisions";
import { exportReviewCsv, readReview } from "./read";

// O3: what a campaign lists (each reason), decisions through the console's own operations,
// completion, the evidence export — on a real database and an injected clock.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
const people: Record<string, User> = {};
const request = { ip: "203.0.113.9", userAgent: "vitest" };
const T0 = new Date("2026-12-01T10:00:00Z");
const daysBefore = (days: number) => new Date(T0.getTime() - days * 86_400_000);
const as = async (name: string) => ({ principal: await principalFromDatabase(database.db, people[name]), request });
const refusalOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    if (error instanceof ActionRefusal) return { code: error.code, message: error.message };
    throw error;
  }
  return null;
};
const decide = async (by: string, input: DecisionInput) => {
  const actor = await as(by);
  await checkDecision(database.db, actor.principal, input);
  return database.db.transaction((tx) => decideReviewLine(tx, actor, input));
};
// PGlite has one connection: load the actor before opening the transaction.
const start = async (by: string, input: { name: string; inactiveDays: number }) => {
  const actor = await as(by);
  return database.db.transaction((tx) => startReview(tx, actor, input));
};
const eventsOf = (action: string) => database.db.select().from(auditEvents).where(and(eq(auditEvents.accountId, accountId), eq(auditEvents.action, action)));

beforeAll(async () => {
  database = await useFreshDatabase();
  setClockForTests(T0);
  const [account] = await database.db.insert(accounts).values({ name: "Review Inc", enforceTwoFactor: true, twoFactorGraceDays: 7, twoFactorEnforcedSince: daysBefore(30) }).returning();
  accountId = account.id;
  const totp = daysBefore(100);
  const member = (name: string, extra: Partial<typeof users.$inferInsert> & { roles?: string[] } = {}) => ({
    accountId,
    email: `${name}@review.test`,
    name: name[0].toUpperCase() + name.slice(1),
    status: "active" as const,
    passwordHash: "x",
    roles: ["member"],
    createdAt: daysBefore(300),
    lastActiveAt: daysBefore(1),
    totpEnabledAt: totp,
    ...extra,
  });
  const rows = await insertMembers(database.db, [
    member("ada", { roles: ["admin"] }),
    member("rita", { roles: ["restricted_admin"] }),
    member("cleo"),
    member("uma"),
    member("ulla"),
    member("ivan", { lastActiveAt: daysBefore(120) }),
    member("nina", { lastActiveAt: null, createdAt: daysBefore(200) }),
    member("sam", { totpEnabledAt: null }),
    member("eve", { accessExpiresAt: new Date(T0.getTime() + 10 * 86_400_000) }),
    member("dev"),
    member("sub"),
    member("ian", { status: "invited", createdAt: daysBefore(45), lastActiveAt: null, totpEnabledAt: null, passwordHash: null }),
    member("ina", { status: "invited", createdAt: daysBefore(5), lastActiveAt: null, totpEnabledAt: null, passwordHash: null }),
    member("dora", { status: "disabled", lastActiveAt: daysBefore(400), roles: ["admin"] }),
    member("quiet"),
  ]);
  for (const row of rows) people[row.email.split("@")[0]] = row;
  await database.db.insert(invitations).values({ accountId, userId: people.ian.id, email: people.ian.email, tokenHash: "ian-token", invitedBy: people.ada.id, expiresAt: daysBefore(38) });

  const [studio] = (await listApplications(database.db)).filter((app) => app.key === "studio");
  await insertSubscription(database.db, { accountId, userId: people.sub.id, applicationId: studio.id, appRoleKeys: ["user"], expiresAt: new Date(T0.getTime() + 15 * 86_400_000) });

  const ada = await as("ada");
  await database.db.transaction(async (tx) => {
    const auditor = await createCustomRole(tx, ada, { name: "Auditor", description: "Reads the log", permissions: ["audit.read", "content.view"] });
    const reviewer = await createCustomRole(tx, ada, { name: "Reviewer", description: "Runs reviews", permissions: ["reviews.manage"] });
    const emea = await createUnit(tx, ada, { name: "EMEA", parentId: null });
    await addMemberToUnit(tx, ada, { userId: people.uma.id, unitId: emea.id });
    await addMemberToUnit(tx, ada, { userId: people.ivan.id, unitId: emea.id });
    await setMemberRoles(tx, ada, { userId: people.cleo.id, roles: ["member", auditor.id] });
    await setMemberRoles(tx, ada, { userId: people.uma.id, roles: ["member"], unitRoles: [{ role: "restricted_admin", unitId: emea.id }] });
    // Ulla runs reviews, and sees (and manages) only EMEA's members.
    await setMemberRoles(tx, ada, { userId: people.ulla.id, roles: ["member", reviewer.id], unitRoles: [{ role: "restricted_admin", unitId: emea.id }] });
    await setMemberRoles(tx, ada, { userId: people.dev.id, roles: ["member", "developer"], expiresAt: new Date(T0.getTime() + 20 * 86_400_000).toISOString() });
  });
});
afterEach(() => setClockForTests(T0));
afterAll(async () => {
  setClockForTests(undefined);
  await database.close();
});

describe("an access review campaign (O3)", () => {
  let reviewId: string;
  const lineOf = async (email: string, reason: string) => {
    const view = await readReview(database.db, (await as("ada")).principal, reviewId);
    const line = view!.lines.find((l) => l.email === `${email}@review.test` && l.reason === reason);
    if (!line) throw new Error(`No ${reason} line for ${email}`);
    return line;
  };

  it("lists each reason a careful admin looks at, saying why, and nothing else", async () => {
    const started = await start("ada", { name: "Q4 2026", inactiveDays: 90 });
    reviewId = started.reviewId;
    const view = await readReview(database.db, (await as("ada")).principal, reviewId);
    const found = view!.lines.map((line) => `${line.reason} ${line.email.split("@")[0]}`).sort();
    expect(found).toEqual(
      [
        "admin ada", // Admin for the whole account
        "admin rita", // Restricted administrator: administration permissions
        "admin cleo", // a custom role with an administration permission
        "admin uma", // Restricted administrator on a unit
        "admin ulla", // Reviewer (custom) for the account, and Restricted administrator on EMEA
        "admin ulla",
        "inactive ivan", // last active 120 days ago
        "inactive nina", // never active, joined 200 days ago
        "no_two_factor sam", // enforcement's grace is over, no 2FA
        "expiring eve", // membership expires in 10 days
        "expiring dev", // the Developer role expires in 20 days
        "expiring sub", // access to Studio expires in 15 days
        "old_invitation ian", // invited 45 days ago (Ina's, 5 days, is not old; Dora is disabled)
      ].sort(),
    );
    expect(started.lines).toBe(13);
    expect((await lineOf("ada", "admin")).why).toMatch(/^Admin for the whole account/);
    expect((await lineOf("cleo", "admin")).why).toBe("Auditor gives administration: read the audit log.");
    expect((await lineOf("uma", "admin")).why).toMatch(/^Restricted administrator \(EMEA\) gives administration: .* in EMEA and the units below it\.$/);
    expect((await lineOf("ivan", "inactive")).why).toBe("Last active 3 Aug 2026, 120 days ago (more than 90).");
    expect((await lineOf("nina", "inactive")).why).toMatch(/^Never active since joining/);
    expect((await lineOf("dev", "expiring")).why).toBe("The Developer role expires 21 Dec 2026, 10:00 UTC.");
    expect((await lineOf("ian", "old_invitation")).why).toBe("Invited 17 Oct 2026, 45 days ago, and not accepted.");
    expect((await lineOf("ian", "old_invitation")).decisions).toEqual(["keep", "change_role", "revoke"]);
    expect((await lineOf("ivan", "inactive")).decisions).toEqual(["keep", "disable", "change_role"]);
    expect(await eventsOf("review.started")).toHaveLength(1);
  });

  it("takes N from the campaign: with 150 days, Ivan (120) is not inactive", async () => {
    const other = await start("ada", { name: "Long", inactiveDays: 150 });
    const view = await readReview(database.db, (await as("ada")).principal, other.reviewId);
    expect(view!.lines.filter((line) => line.reason === "inactive").map((line) => line.email)).toEqual(["nina@review.test"]);
    await database.db.delete(accessReviews).where(eq(accessReviews.id, other.reviewId));
  });

  it("shows a reviewer who sees only some units the lines of their members only", async () => {
    const view = await readReview(database.db, (await as("ulla")).principal, reviewId);
    expect(view!.lines.map((line) => `${line.reason} ${line.email.split("@")[0]}`).sort()).toEqual(["admin uma", "inactive ivan"]);
    // A line beyond their units reads as missing.
    const ada = await lineOf("ada", "admin");
    expect(await refusalOf(decide("ulla", { lineId: ada.id, decision: "keep" }))).toMatchObject({ code: "not_found" });
  });

  it("runs Disable, Change role and Revoke through the console's operations, and records who decided", async () => {
    // Ulla may see Ivan, and may disable him (Restricted administrator on EMEA): the same operation the console runs.
    const ivan = await lineOf("ivan", "inactive");
    expect(await decide("ulla", { lineId: ivan.id, decision: "disable" })).toMatchObject({ outcome: "Disabled.", completed: false });
    const [after] = await database.db.select().from(users).where(eq(users.id, people.ivan.id));
    expect(after.status).toBe("disabled");
    expect((await eventsOf("member.disabled")).map((e) => e.targetId)).toEqual([people.ivan.id]);

    const sam = await lineOf("sam", "no_two_factor");
    await decide("ada", { lineId: sam.id, decision: "change_role", roles: ["viewer"] });
    expect((await rolesOfMember(database.db, people.sam.id)).map((role) => role.key)).toEqual(["viewer"]);

    const ian = await lineOf("ian", "old_invitation");
    await decide("ada", { lineId: ian.id, decision: "revoke" });
    expect(await database.db.select().from(users).where(eq(users.id, people.ian.id))).toEqual([]);
    expect((await eventsOf("invitation.revoked")).map((e) => e.targetId)).toEqual([people.ian.id]);

    const dev = await lineOf("dev", "expiring");
    expect((await decide("ada", { lineId: dev.id, decision: "revoke" })).outcome).toBe("Role taken away; roles now: Member.");
    const sub = await lineOf("sub", "expiring");
    expect(sub.why).toBe("Access to Studio expires 16 Dec 2026, 10:00 UTC.");
    expect(await checkDecision(database.db, (await as("ada")).principal, { lineId: sub.id, decision: "revoke" })).toEqual({ label: "end Sub's access to Studio" });
    expect((await decide("ada", { lineId: sub.id, decision: "revoke" })).outcome).toBe("Access to Studio ended.");
    expect(await subscriptionsOf(database.db, people.sub.id)).toEqual([]);
    const uma = await lineOf("uma", "admin");
    await decide("ada", { lineId: uma.id, decision: "revoke" });
    expect((await rolesOfMember(database.db, people.uma.id)).map((role) => role.key)).toEqual(["member"]);

    // Who decided what and when stays on the line — Ian's too, though his row is gone.
    const decided = await lineOf("ian", "old_invitation");
    expect(decided).toMatchObject({ decision: "revoke", outcome: "Invitation revoked.", decidedBy: people.ada.id, decidedByName: "Ada", userId: null, email: "ian@review.test" });
    expect(decided.decidedAt).toEqual(T0);
    expect(await eventsOf("review.line_decided")).toHaveLength(6);
  });

  it("refuses what the operation refuses, a second decision, and Revoke where nothing is revocable", async () => {
    const ada = await lineOf("ada", "admin");
    // The account's last active Admin: the same refusal as on User Management.
    expect(await refusalOf(decide("ada", { lineId: ada.id, decision: "change_role", roles: ["member"] }))).toMatchObject({ message: "An account must keep at least one active Admin." });
    expect(await refusalOf(decide("ada", { lineId: ada.id, decision: "revoke" }))).toMatchObject({ message: "Give at least one role." });
    const ivan = await lineOf("ivan", "inactive");
    expect(await refusalOf(decide("ada", { lineId: ivan.id, decision: "keep" }))).toMatchObject({ message: expect.stringMatching(/^This line was decided already \(Disable, by Ulla\)/) });
    const nina = await lineOf("nina", "inactive");
    expect(await refusalOf(decide("ada", { lineId: nina.id, decision: "revoke" }))).toMatchObject({ code: "invalid" });
    // Ulla cannot manage Rita, beyond her units.
    const rita = await lineOf("rita", "admin");
    expect(await refusalOf(decide("ulla", { lineId: rita.id, decision: "disable" }))).toMatchObject({ code: "not_found" });
    const [{ status }] = await database.db.select({ status: users.status }).from(users).where(eq(users.id, people.nina.id));
    expect(status).toBe("active");
  });

  it("is complete when every line is decided, and stays readable and exportable as evidence", async () => {
    const actor = await as("ada");
    let view = await readReview(database.db, actor.principal, reviewId);
    const open = view!.lines.filter((line) => !line.decision);
    for (const [i, line] of open.entries()) {
      const result = await decide("ada", { lineId: line.id, decision: "keep" });
      expect(result.completed).toBe(i === open.length - 1);
    }
    view = await readReview(database.db, actor.principal, reviewId);
    expect(view!.review.completedAt).toEqual(T0);
    expect(view!.undecided).toBe(0);
    expect(await eventsOf("review.completed")).toHaveLength(1);

    const exported = await exportReviewCsv(database.db, actor, reviewId, T0);
    const rows = exported!.csv.trim().split("\r\n");
    expect(rows[0]).toMatch(/^"# Roster access review ""Q4 2026""; .* completed 2026-12-01T10:00:00.000Z; exported/);
    expect(rows[1]).toBe("reason,name,email,why,decision,outcome,decided_by,decided_at");
    expect(rows).toHaveLength(15);
    expect(rows).toContain("Old invitation,Ian,ian@review.test,\"Invited 17 Oct 2026, 45 days ago, and not accepted.\",Revoke,Invitation revoked.,Ada,2026-12-01T10:00:00.000Z");
    expect(await eventsOf("review.exported")).toHaveLength(1);
  });
});
