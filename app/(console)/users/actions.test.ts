import { insertMembers } from "@/db/queries/users";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { currentUserOf, useFreshDatabase, wholeAccountViewer } from "@/db/testing";
import { listMembers } from "@/db/queries/members";
import { accounts, auditEvents, emailOutbox, rateLimits, stepUpChallenges, users, type User } from "@/db/schema";
import type { CurrentUser } from "@/lib/auth/session";
import { resetConfigForTests } from "@/lib/config";
import { readBody } from "@/lib/email";
import { lookUpInvitation } from "@/lib/team/invitations";

// The session is the browser's cookie; here the test says who is calling. Everything
// after it — role and account checks, step-up, the database — is the real code.
const caller: { user: CurrentUser | null } = { user: null };
vi.mock("@/lib/auth/session", () => ({
  requireUser: async () => {
    if (!caller.user) throw new Error("NEXT_REDIRECT /sign-in");
    return caller.user;
  },
}));
vi.mock("@/lib/request", () => ({ requestContext: async () => ({ ip: "203.0.113.7", userAgent: "vitest-agent" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { disableMember, enableMember, inviteMember, resendInvitation, revokeInvitation } = await import("./actions");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let acmeAdmin: User, acmeSecond: User, alice: User, bob: User, staffer: User, globexAdmin: User, globexMember: User;

const as = (user: User) => {
  caller.user = currentUserOf(user);
};

async function latestCode(to: string): Promise<string> {
  const [row] = await database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.kind, "step-up-code")))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  return readBody(row)!.text.match(/code is (\d{6})/)![1];
}

const statusOf = async (user: User) => (await database.db.select({ status: users.status }).from(users).where(eq(users.id, user.id)))[0]?.status;
const count = async (table: typeof auditEvents | typeof emailOutbox | typeof stepUpChallenges | typeof users) => (await database.db.select().from(table)).length;

beforeAll(async () => {
  process.env.STAFF_EMAIL_DOMAIN = "vendor.test";
  resetConfigForTests();
  database = await useFreshDatabase();
  const [acme, globex] = await database.db.insert(accounts).values([{ name: "Acme" }, { name: "Globex" }]).returning();
  const people = await insertMembers(database.db, [
      { accountId: acme.id, email: "admin@acme.test", name: "Ada Admin", roles: ["admin"], status: "active" },
      { accountId: acme.id, email: "second@acme.test", name: "Second Primary", roles: ["admin"], status: "active" },
      { accountId: acme.id, email: "alice@acme.test", name: "Alice", status: "active" },
      { accountId: acme.id, email: "bob@acme.test", name: "Bob", status: "active" },
      { accountId: acme.id, email: "helper@vendor.test", name: "Vendor Helper", status: "active" },
      { accountId: globex.id, email: "admin@globex.test", name: "Gale", roles: ["admin"], status: "active" },
      { accountId: globex.id, email: "otto@globex.test", name: "Otto", status: "active" },
    ]);
  [acmeAdmin, acmeSecond, alice, bob, staffer, globexAdmin, globexMember] = people;
});

afterAll(async () => {
  await database.close();
  delete process.env.STAFF_EMAIL_DOMAIN;
  resetConfigForTests();
});

beforeEach(() => as(acmeAdmin));

describe("step-up (S1)", () => {
  it("does not run the action on the first call: it emails a code bound to the action", async () => {
    const first = await disableMember({ userId: alice.id });
    expect(first.ok).toBe(false);
    expect(first.stepUp?.challengeId).toBeTruthy();
    expect(first.stepUp?.sentTo).toBe("a•••@acme.test");
    expect(await statusOf(alice)).toBe("active");
    const [challenge] = await database.db.select().from(stepUpChallenges).where(eq(stepUpChallenges.id, first.stepUp!.challengeId));
    const code = await latestCode(acmeAdmin.email);
    // Only a keyed hash of the code is stored.
    expect(challenge.codeHash).not.toContain(code);
    expect(challenge.action).toBe("member.disable");
    expect(challenge.targetId).toBe(alice.id);
  });

  it("a code issued for 'disable Alice' cannot disable Bob", async () => {
    const { stepUp } = await disableMember({ userId: alice.id });
    const code = await latestCode(acmeAdmin.email);
    const misuse = await disableMember({ userId: bob.id }, { challengeId: stepUp!.challengeId, code });
    expect(misuse.ok).toBe(false);
    expect(misuse.error).toMatch(/issued for a different action/);
    expect(await statusOf(bob)).toBe("active");
    expect(await statusOf(alice)).toBe("active");

    const rightUse = await disableMember({ userId: alice.id }, { challengeId: stepUp!.challengeId, code });
    expect(rightUse.ok).toBe(true);
    expect(await statusOf(alice)).toBe("disabled");
  });

  it("runs the action exactly once when the same code is submitted twice in parallel", async () => {
    const { stepUp } = await enableMember({ userId: alice.id });
    const proof = { challengeId: stepUp!.challengeId, code: await latestCode(acmeAdmin.email) };
    const auditBefore = (await database.db.select().from(auditEvents).where(eq(auditEvents.action, "member.enabled"))).length;
    const results = await Promise.all([enableMember({ userId: alice.id }, proof), enableMember({ userId: alice.id }, proof)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toHaveLength(1);
    const auditAfter = (await database.db.select().from(auditEvents).where(eq(auditEvents.action, "member.enabled"))).length;
    expect(auditAfter - auditBefore).toBe(1);
    expect(await statusOf(alice)).toBe("active");
  });

  it("refuses the right code after 5 wrong guesses", async () => {
    const { stepUp } = await disableMember({ userId: bob.id });
    const code = await latestCode(acmeAdmin.email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 1; i <= 5; i++) {
      const r = await disableMember({ userId: bob.id }, { challengeId: stepUp!.challengeId, code: wrong });
      expect(r.ok).toBe(false);
      if (i < 5) expect(r.error).toBe(`That code is not right. ${5 - i} ${5 - i === 1 ? "try" : "tries"} left.`);
    }
    const sixth = await disableMember({ userId: bob.id }, { challengeId: stepUp!.challengeId, code });
    expect(sixth.ok).toBe(false);
    expect(sixth.error).toMatch(/Too many wrong codes/);
    expect(await statusOf(bob)).toBe("active");
    const failures = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "step_up.failed"));
    expect(failures.length).toBeGreaterThanOrEqual(5);
  });

  it("refuses expired codes, and another user's challenge", async () => {
    const { stepUp } = await disableMember({ userId: bob.id });
    const code = await latestCode(acmeAdmin.email);
    as(acmeSecond);
    const stolen = await disableMember({ userId: bob.id }, { challengeId: stepUp!.challengeId, code });
    expect(stolen.error).toMatch(/not valid/);
    as(acmeAdmin);
    const { sql } = await import("drizzle-orm");
    await database.db.update(stepUpChallenges).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(stepUpChallenges.id, stepUp!.challengeId));
    const late = await disableMember({ userId: bob.id }, { challengeId: stepUp!.challengeId, code });
    expect(late.error).toBe("This code has expired. Send a new code.");
    expect(await statusOf(bob)).toBe("active");
  });
});

describe("isolation (A1, A2)", () => {
  it("refuses a secondary user calling management actions directly", async () => {
    as(bob);
    const before = await count(stepUpChallenges);
    for (const result of [
      await inviteMember({ email: "x@acme.test", roles: ["member"] }),
      await disableMember({ userId: alice.id }),
      await enableMember({ userId: alice.id }),
      await resendInvitation({ userId: alice.id }),
      await revokeInvitation({ userId: alice.id }),
    ]) {
      expect(result).toMatchObject({ ok: false, code: "forbidden", error: expect.stringMatching(/^Your roles do not allow this/) });
    }
    expect(await count(stepUpChallenges)).toBe(before);
  });

  it("never lets account A act on account B's members, even with B's IDs", async () => {
    as(globexAdmin);
    for (const result of [
      await disableMember({ userId: alice.id }),
      await enableMember({ userId: alice.id }),
      await resendInvitation({ userId: alice.id }),
      await revokeInvitation({ userId: alice.id }),
    ]) {
      expect(result).toMatchObject({ ok: false, error: "No such member in this account." });
    }
    const page = await listMembers(database.db, wholeAccountViewer(globexAdmin), { staffEmailDomain: "vendor.test" }, { search: "acme" });
    expect(page.total).toBe(0);
    const all = await listMembers(database.db, wholeAccountViewer(globexAdmin), { staffEmailDomain: "vendor.test" });
    expect(all.rows.map((r) => r.email).sort()).toEqual([globexAdmin.email, globexMember.email]);
  });

  it("keeps an active Admin in every account", async () => {
    // A stale session of an Admin who was disabled meanwhile tries to disable the last one.
    await database.db.update(users).set({ status: "disabled" }).where(eq(users.id, acmeSecond.id));
    as(acmeSecond);
    const { stepUp } = await disableMember({ userId: acmeAdmin.id });
    const r = await disableMember({ userId: acmeAdmin.id }, { challengeId: stepUp!.challengeId, code: await latestCode(acmeSecond.email) });
    expect(r.error).toBe("An account must keep at least one active Admin.");
    expect(await statusOf(acmeAdmin)).toBe("active");
    await database.db.update(users).set({ status: "active" }).where(eq(users.id, acmeSecond.id));
    as(acmeAdmin);
    expect((await disableMember({ userId: acmeAdmin.id })).error).toBe("You cannot disable your own account.");
  });
});

describe("vendor staff (T6)", () => {
  it("hides staff from a customer's table, counts and search, and from actions", async () => {
    const policy = { staffEmailDomain: "vendor.test" };
    const customerView = await listMembers(database.db, wholeAccountViewer(acmeAdmin), policy);
    expect(customerView.rows.map((r) => r.email)).not.toContain(staffer.email);
    expect(customerView.total).toBe(customerView.rows.length);
    expect((await listMembers(database.db, wholeAccountViewer(acmeAdmin), policy, { search: "vendor" })).total).toBe(0);
    expect((await disableMember({ userId: staffer.id })).error).toBe("No such member in this account.");

    const staffView = await listMembers(database.db, wholeAccountViewer({ accountId: acmeAdmin.accountId, email: "someone@vendor.test" }), policy);
    expect(staffView.rows.map((r) => r.email)).toContain(staffer.email);
    expect(staffView.total).toBe(customerView.total + 1);
  });

  it("gives a customer the same answer for a staff address whether or not a staff account has it, creating nothing", async () => {
    const before = { users: await count(users), challenges: await count(stepUpChallenges), outbox: await count(emailOutbox), audit: await count(auditEvents) };
    // helper@vendor.test is a (hidden) member of this very account; nobody has the other address.
    const existing = await inviteMember({ email: "Helper@Vendor.test", roles: ["member"] });
    const absent = await inviteMember({ email: "no.such.person@vendor.test", roles: ["member"] });
    expect(existing).toEqual(absent);
    expect(existing).toMatchObject({ ok: false, error: "Addresses at this email domain cannot be invited to your account. Nothing was sent." });
    expect({ users: await count(users), challenges: await count(stepUpChallenges), outbox: await count(emailOutbox), audit: await count(auditEvents) }).toEqual(before);

    // Vendor staff, who see staff, are told as before that the address is taken.
    caller.user = currentUserOf(acmeAdmin, { email: "boss@vendor.test" });
    expect(await inviteMember({ email: "helper@vendor.test", roles: ["member"] })).toMatchObject({ ok: false, error: "This email address already belongs to a user. Nothing was sent." });
  });
});

describe("invitations (T2) and audit (O1)", () => {
  it("invites with step-up, records the audit event with IP and agent, and refuses an existing address", async () => {
    const first = await inviteMember({ email: "  New.Person@Example.test ", name: "New Person", roles: ["member"] });
    const done = await inviteMember(
      { email: "  New.Person@Example.test ", name: "New Person", roles: ["member"] },
      { challengeId: first.stepUp!.challengeId, code: await latestCode(acmeAdmin.email) },
    );
    expect(done.ok).toBe(true);
    const [invited] = await database.db.select().from(users).where(eq(users.email, "new.person@example.test"));
    expect(invited.status).toBe("invited");
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "member.invited"));
    expect(event).toMatchObject({ accountId: acmeAdmin.accountId, actorId: acmeAdmin.id, targetId: invited.id, ip: "203.0.113.7", userAgent: "vitest-agent" });
    const [mail] = await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, "new.person@example.test"), eq(emailOutbox.kind, "invitation")));
    expect(readBody(mail)!.text).toMatch(/http:\/\/roster\.test\/invitations\/[A-Za-z0-9_-]{43}/);

    // The audit trail cannot be edited.
    await expect(database.db.update(auditEvents).set({ action: "x" }).where(eq(auditEvents.id, event.id))).rejects.toThrow();
    await expect(database.db.delete(auditEvents).where(eq(auditEvents.id, event.id))).rejects.toThrow();

    // Already a member — here or in another account: a clear error and nothing sent.
    const outboxBefore = await count(emailOutbox);
    for (const email of ["new.person@example.test", "OTTO@globex.test"]) {
      const r = await inviteMember({ email, roles: ["member"] });
      expect(r).toMatchObject({ ok: false, error: "This email address already belongs to a user. Nothing was sent." });
    }
    expect(await count(emailOutbox)).toBe(outboxBefore);
    // The lookup into another account is audited, and limited so it cannot map other tenants.
    const refusals = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "member.invite_refused"));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ accountId: acmeAdmin.accountId, actorId: acmeAdmin.id, targetId: "otto@globex.test", details: { reason: "address_in_use" } });
    for (let i = 1; i < 20; i++) await inviteMember({ email: "otto@globex.test", roles: ["member"] });
    // Over the limit, every invitation gets the same answer — taken elsewhere, taken here or free —
    // so the answer reveals nothing, and no code is sent.
    for (const email of ["otto@globex.test", "new.person@example.test", "free.address@example.test"]) {
      expect(await inviteMember({ email, roles: ["member"] })).toMatchObject({ ok: false, error: expect.stringMatching(/^Too many invitations to addresses already in use/) });
    }
    expect(await count(emailOutbox)).toBe(outboxBefore);
    await database.db.delete(rateLimits).where(eq(rateLimits.key, `invite:taken:${acmeAdmin.id}`));
  });

  it("resends with a new link (the old one dies) and revokes", async () => {
    const [invited] = await database.db.select().from(users).where(eq(users.email, "new.person@example.test"));
    const oldMail = (await database.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "invitation")))[0];
    const oldToken = readBody(oldMail)!.text.match(/invitations\/([A-Za-z0-9_-]{43})/)![1];
    expect((await lookUpInvitation(database.db, oldToken)).state).toBe("valid");

    const resend = await resendInvitation({ userId: invited.id });
    expect(resend.stepUp?.action).toBe("resend the invitation to new.person@example.test");
    expect((await resendInvitation({ userId: invited.id }, { challengeId: resend.stepUp!.challengeId, code: await latestCode(acmeAdmin.email) })).ok).toBe(true);
    expect((await lookUpInvitation(database.db, oldToken)).state).toBe("revoked");

    const revoke = await revokeInvitation({ userId: invited.id });
    expect(revoke.stepUp?.action).toBe("revoke the invitation for new.person@example.test");
    expect((await revokeInvitation({ userId: invited.id }, { challengeId: revoke.stepUp!.challengeId, code: await latestCode(acmeAdmin.email) })).ok).toBe(true);
    expect(await statusOf(invited)).toBeUndefined();
    const actions = (await database.db.select().from(auditEvents)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["invitation.resent", "invitation.revoked", "member.disabled", "member.enabled", "step_up.failed"]));
  });
});

describe("resend and revoke need step-up (S1)", () => {
  it("without a proof, changes nothing and sends no invitation — only the code, to the acting admin", async () => {
    const [invited] = await insertMembers(database.db, [{ accountId: acmeAdmin.accountId, email: "pending@example.test", name: "Pending Person", status: "invited" }]);
    const invitationMails = async () => (await database.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "invitation"))).length;
    const invitationEvents = async () => (await database.db.select().from(auditEvents)).filter((e) => e.action.startsWith("invitation.")).length;
    const before = { mails: await invitationMails(), events: await invitationEvents() };

    for (const call of [resendInvitation, revokeInvitation]) {
      const first = await call({ userId: invited.id });
      expect(first.ok).toBe(false);
      expect(first.stepUp?.sentTo).toBe("a•••@acme.test");
      // A wrong code does no better.
      const wrong = (await latestCode(acmeAdmin.email)) === "000000" ? "111111" : "000000";
      expect((await call({ userId: invited.id }, { challengeId: first.stepUp!.challengeId, code: wrong })).ok).toBe(false);
    }
    expect(await invitationMails()).toBe(before.mails);
    expect(await invitationEvents()).toBe(before.events);
    expect(await statusOf(invited)).toBe("invited");

    // A row that is not a pending invitation gets a clear refusal before any code is sent.
    const challenges = await count(stepUpChallenges);
    expect(await resendInvitation({ userId: bob.id })).toMatchObject({ ok: false, error: "Only pending invitations can be re-sent." });
    expect(await revokeInvitation({ userId: bob.id })).toMatchObject({ ok: false, error: "Only pending invitations can be revoked." });
    expect(await count(stepUpChallenges)).toBe(challenges);
  });
});

describe("bad input", () => {
  it("refuses malformed emails, huge names and unknown or malformed IDs, changing nothing", async () => {
    const before = { users: await count(users), challenges: await count(stepUpChallenges), outbox: await count(emailOutbox) };
    expect(await inviteMember({ email: "not-an-email", roles: ["member"] })).toMatchObject({ ok: false, fieldErrors: { email: "Enter a valid email address." } });
    expect(await inviteMember({ email: "ok@acme.test", name: "x".repeat(10_000), roles: ["member"] })).toMatchObject({
      ok: false,
      fieldErrors: { name: "Names are at most 100 characters." },
    });
    expect(await inviteMember({ email: "ok@acme.test", roles: [] })).toMatchObject({ ok: false, fieldErrors: { roles: "Choose at least one role." } });
    expect(await inviteMember({ email: "ok@acme.test", roles: ["owner"] })).toMatchObject({ ok: false, code: "invalid", error: "Choose roles from the list." });
    expect(await inviteMember("nonsense")).toMatchObject({ ok: false });
    expect(await disableMember({ userId: "not-a-uuid" })).toMatchObject({ ok: false, fieldErrors: { userId: "Unknown member." } });
    expect(await disableMember({ userId: "00000000-0000-4000-8000-000000000000" })).toMatchObject({ ok: false, error: "No such member in this account." });
    expect({ users: await count(users), challenges: await count(stepUpChallenges), outbox: await count(emailOutbox) }).toEqual(before);
  });

  it("treats tampered invitation tokens as invalid", async () => {
    for (const token of ["", "abc", "x".repeat(43), "../../etc/passwd", "A".repeat(5000)]) {
      expect((await lookUpInvitation(database.db, token)).state).toBe("invalid");
    }
  });
});
