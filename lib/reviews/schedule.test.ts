import { and, eq, like } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, emailOutbox, type User } from "@/db/schema";
import { setClockForTests } from "@/lib/clock";
import { readBody } from "@/lib/email";
import { JOBS } from "@/lib/jobs";
import { JobRunner } from "@/lib/jobs/runner";
import { createCustomRole } from "@/lib/team/custom-roles";
import { setMemberRoles } from "@/lib/team/roles";
import { startReview } from "./campaigns";
import { decideReviewLine } from "./decisions";
import { readReview } from "./read";
import { reviewRemindersJob, reviewSchedule, setReviewSchedule } from "./schedule";

// O3: reminders — quarterly by default, configurable — sent by the job runner once per due
// date to whoever runs reviews for the whole account, on a moved clock (no sleeps).
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
let ada: User, rex: User;
const request = { ip: null, userAgent: "vitest" };
const at = (iso: string) => new Date(iso);
let clock = at("2026-09-01T00:00:00Z");
const runAt = async (iso: string) => {
  clock = at(iso);
  await new JobRunner({ db: database.db, definitions: [reviewRemindersJob], clock: () => clock }).runDue();
};
const reminders = () =>
  database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.accountId, accountId), like(emailOutbox.kind, "access-review-%")))
    .then((rows) => rows.map((row) => ({ to: row.toAddress, kind: row.kind, subject: row.subject, text: readBody(row)!.text })).sort((a, b) => `${a.kind}${a.to}`.localeCompare(`${b.kind}${b.to}`)));

beforeAll(async () => {
  database = await useFreshDatabase();
  setClockForTests(() => clock);
  const [account] = await database.db.insert(accounts).values({ name: "Quarterly Inc", createdAt: at("2026-09-01T00:00:00Z") }).returning();
  accountId = account.id;
  [ada, rex] = await insertMembers(database.db, [
    { accountId, email: "ada@quarterly.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId, email: "rex@quarterly.test", name: "Rex", status: "active", passwordHash: "x", roles: ["member"] },
    { accountId, email: "rita@quarterly.test", name: "Rita", status: "active", passwordHash: "x", roles: ["restricted_admin"] },
    { accountId, email: "old@quarterly.test", name: "Old", status: "disabled", passwordHash: "x", roles: ["admin"] },
  ]);
  const actor = { principal: await principalFromDatabase(database.db, ada), request };
  await database.db.transaction(async (tx) => {
    const reviewer = await createCustomRole(tx, actor, { name: "Reviewer", description: "", permissions: ["reviews.manage"] });
    await setMemberRoles(tx, actor, { userId: rex.id, roles: ["member", reviewer.id] });
  });
});
afterEach(() => setClockForTests(() => clock));
afterAll(async () => {
  setClockForTests(undefined);
  await database.close();
});

describe("access review reminders (O3)", () => {
  it("is one of the console's scheduled jobs", () => {
    expect(JOBS.map((job) => job.name)).toContain("access-review-reminders");
  });

  it("emails the reviewers once when a review falls due (quarterly), and once more when it is overdue", async () => {
    await runAt("2026-11-30T23:00:00Z");
    expect(await reminders()).toEqual([]);
    expect((await reviewSchedule(database.db, accountId, clock)).state).toBe("scheduled");

    // Three months after the account began: due. Admins and holders of reviews.manage, active ones only.
    await runAt("2026-12-01T01:00:00Z");
    let mail = await reminders();
    expect(mail.map((m) => `${m.kind} ${m.to}`)).toEqual(["access-review-due ada@quarterly.test", "access-review-due rex@quarterly.test"]);
    expect(mail[0].subject).toBe("Access review due for Quarterly Inc");
    expect(mail[0].text).toContain("http://roster.test/reviews");

    // The next runs in the same due period send nothing again.
    await runAt("2026-12-01T02:00:00Z");
    await runAt("2026-12-10T02:00:00Z");
    expect(await reminders()).toHaveLength(2);

    // Two weeks on, still not done: overdue, once.
    await runAt("2026-12-15T01:00:00Z");
    await runAt("2026-12-15T02:00:00Z");
    mail = await reminders();
    expect(mail.filter((m) => m.kind === "access-review-overdue").map((m) => m.to)).toEqual(["ada@quarterly.test", "rex@quarterly.test"]);
    expect(mail.find((m) => m.kind === "access-review-overdue")!.subject).toBe("Access review overdue for Quarterly Inc");
    expect((await reviewSchedule(database.db, accountId, clock)).state).toBe("overdue");
  });

  it("moves the due date on when a review is completed, by the account's own schedule", async () => {
    clock = at("2026-12-16T09:00:00Z");
    const actor = { principal: await principalFromDatabase(database.db, ada), request };
    const { reviewId } = await database.db.transaction((tx) => startReview(tx, actor, { name: "Late Q4", inactiveDays: 90 }));
    const view = await readReview(database.db, actor.principal, reviewId);
    for (const line of view!.lines) await database.db.transaction((tx) => decideReviewLine(tx, actor, { lineId: line.id, decision: "keep" }));
    expect(await reviewSchedule(database.db, accountId, clock)).toMatchObject({ state: "scheduled", dueAt: at("2027-03-16T09:00:00Z") });

    await database.db.transaction((tx) => setReviewSchedule(tx, actor, { everyMonths: 1 }));
    const [event] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.accountId, accountId), eq(auditEvents.action, "review.schedule_changed")));
    expect(event.details).toMatchObject({ before: 3, after: 1 });
    const before = (await reminders()).length;
    await runAt("2027-01-16T10:00:00Z");
    const mail = await reminders();
    expect(mail).toHaveLength(before + 2);
    expect(mail.filter((m) => m.kind === "access-review-due").map((m) => m.to)).toEqual(["ada@quarterly.test", "ada@quarterly.test", "rex@quarterly.test", "rex@quarterly.test"]);
  });
});
