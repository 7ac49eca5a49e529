import { insertMembers } from "@/db/queries/users";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/db/testing";
import { accounts, emailOutbox, stepUpChallenges } from "@/db/schema";
import { readBody } from "@/lib/email";
import { previewThisWasntMe } from "@/lib/security-notices/this-wasnt-me";
import { consumeStepUpChallenge, issueStepUpChallenge, sendNewStepUpCode, STEP_UP_MAX_CODES, type StepUpActor } from "./step-up";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let actor: StepUpActor;
const binding = { action: "member.disable", actionLabel: "disable Alice Example", targetId: "alice", params: { userId: "alice" } };
/** The person acting from one of their sessions. */
const from = (user: { id: string; accountId: string; email: string }, sessionId = "session-a", ssoManaged = false): StepUpActor => ({
  id: user.id,
  accountId: user.accountId,
  email: user.email,
  sessionId,
  ssoManaged,
});

async function latestEmail(to = actor.email) {
  const [row] = await database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.kind, "step-up-code")))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  return readBody(row)!.text;
}
const latestCode = async () => (await latestEmail()).match(/code is (\d{6})/)![1];

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  const [user] = await insertMembers(database.db, [{ accountId: account.id, email: "admin@acme.test", roles: ["admin"], status: "active" }]);
  actor = from(user);
});
afterAll(() => database.close());

describe("step-up challenges", () => {
  it("consumes a code once even when two requests race (row lock)", async () => {
    const { challengeId } = await database.db.transaction((tx) => issueStepUpChallenge(tx, actor, binding));
    const proof = { challengeId, code: await latestCode() };
    const attempt = () =>
      database.db.transaction(async (tx) => {
        const verdict = await consumeStepUpChallenge(tx, actor, binding, proof);
        // Hold the transaction open so the other request overlaps with it.
        await new Promise((resolve) => setTimeout(resolve, 150));
        return verdict.ok;
      });
    const results = await Promise.all([attempt(), attempt()]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("binds the code to the parameters too, not only the target", async () => {
    const { challengeId } = await database.db.transaction((tx) => issueStepUpChallenge(tx, actor, binding));
    const code = await latestCode();
    const tampered = await database.db.transaction((tx) =>
      consumeStepUpChallenge(tx, actor, { ...binding, params: { userId: "alice", role: "primary" } }, { challengeId, code }),
    );
    expect(tampered).toMatchObject({ ok: false, reason: "mismatch" });
  });

  it("treats non-numeric, short and long codes as wrong without throwing", async () => {
    for (const code of ["abcdef", "123", "1234567", "", "12345６"]) {
      const { challengeId } = await database.db.transaction((tx) => issueStepUpChallenge(tx, actor, binding));
      const verdict = await database.db.transaction((tx) => consumeStepUpChallenge(tx, actor, binding, { challengeId, code }));
      expect(verdict).toMatchObject({ ok: false, reason: "wrong-code", error: expect.stringMatching(/^Enter the 6-digit code/) });
    }
  });

  it("binds the code to the session that asked: another session of the same person cannot spend it, nor ask for a new one", async () => {
    const sessionA = actor;
    const sessionB = from(actor, "session-b");
    const { challengeId } = await database.db.transaction((tx) => issueStepUpChallenge(tx, sessionA, binding));
    const code = await latestCode();
    const [stored] = await database.db.select().from(stepUpChallenges).where(eq(stepUpChallenges.id, challengeId));
    // Only a hash of the session ID is kept.
    expect(stored.sessionHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.sessionHash).not.toContain("session-a");

    const fromB = await database.db.transaction((tx) => consumeStepUpChallenge(tx, sessionB, binding, { challengeId, code }));
    expect(fromB).toEqual({ ok: false, reason: "not-found", error: "This verification is not valid. Start the action again." });
    expect(await database.db.transaction((tx) => sendNewStepUpCode(tx, sessionB, challengeId))).toMatchObject({ ok: false, error: "This verification has ended. Start the action again." });
    const [untouched] = await database.db.select().from(stepUpChallenges).where(eq(stepUpChallenges.id, challengeId));
    expect(untouched).toMatchObject({ failedAttempts: 0, codesSent: 1, consumedAt: null });

    expect(await database.db.transaction((tx) => consumeStepUpChallenge(tx, sessionA, binding, { challengeId, code }))).toEqual({ ok: true });
  });

  it("words a new code's email like the first: the same action and target", async () => {
    const invite = { action: "member.invite", actionLabel: "invite x@y.z", targetId: "x@y.z", params: { email: "x@y.z" } };
    const { challengeId } = await database.db.transaction((tx) => issueStepUpChallenge(tx, actor, invite));
    const first = await latestEmail();
    expect(await database.db.transaction((tx) => sendNewStepUpCode(tx, actor, challengeId))).toEqual({ ok: true });
    const second = await latestEmail();
    expect(second).not.toBe(first);
    for (const text of [first, second]) expect(text).toContain("It confirms this action: invite x@y.z.");
  });

  it("points whoever did not ask for the code to a working This wasn't me link (O4)", async () => {
    await database.db.transaction((tx) => issueStepUpChallenge(tx, actor, binding));
    const text = await latestEmail();
    expect(text).toContain(`If you did not ask for this, someone may be using your session. Do not share the code. Open this "This wasn't me" link: once you confirm, it signs you out everywhere and has you set a new password.`);
    const token = text.match(/\/this-wasnt-me\/([A-Za-z0-9_-]{59})\n/)![1];
    expect(await previewThisWasntMe(database.db, token)).toMatchObject({ state: "valid", email: actor.email });
    // A member whose sign-in the identity provider manages has no password here to set.
    const [user] = await insertMembers(database.db, [{ accountId: actor.accountId, email: "sso@acme.test", roles: ["admin"], status: "active", ssoSubject: "idp|1" }]);
    await database.db.transaction((tx) => issueStepUpChallenge(tx, from(user, "session-a", true), binding));
    const ssoText = await latestEmail(user.email);
    expect(ssoText).not.toMatch(/set a new password/i);
    expect(ssoText).toContain("once you confirm, it signs you out everywhere (then change your password with your identity provider).");
    expect(ssoText).toMatch(/\/this-wasnt-me\/[A-Za-z0-9_-]{59}\n/);
  });

  it("sends a new code that replaces the old one, a limited number of times", async () => {
    const { challengeId } = await database.db.transaction((tx) => issueStepUpChallenge(tx, actor, binding));
    const oldCode = await latestCode();
    expect(await database.db.transaction((tx) => sendNewStepUpCode(tx, actor, challengeId))).toEqual({ ok: true });
    const newCode = await latestCode();
    if (newCode !== oldCode) {
      const old = await database.db.transaction((tx) => consumeStepUpChallenge(tx, actor, binding, { challengeId, code: oldCode }));
      expect(old.ok).toBe(false);
    }
    for (let i = 2; i < STEP_UP_MAX_CODES; i++) await database.db.transaction((tx) => sendNewStepUpCode(tx, actor, challengeId));
    const tooMany = await database.db.transaction((tx) => sendNewStepUpCode(tx, actor, challengeId));
    expect(tooMany).toMatchObject({ ok: false, error: expect.stringMatching(/No more codes|Too many codes/) });
    const [row] = await database.db.select().from(stepUpChallenges).where(eq(stepUpChallenges.id, challengeId));
    expect(row.codesSent).toBe(STEP_UP_MAX_CODES);
  });

  it("limits wrong codes across challenges: starting over does not buy more guesses", async () => {
    const [user] = await insertMembers(database.db, [{ accountId: actor.accountId, email: "guesser@acme.test", roles: ["admin"], status: "active" }]);
    const guesser = from(user);
    const issue = () => database.db.transaction((tx) => issueStepUpChallenge(tx, guesser, binding));
    const guess = (challengeId: string, code: string) => database.db.transaction((tx) => consumeStepUpChallenge(tx, guesser, binding, { challengeId, code }));
    // 10 wrong codes over three challenges (4 + 4 + 2), none of them locked on its own.
    for (const wrong of [4, 4, 2]) {
      const { challengeId } = await issue();
      for (let i = 0; i < wrong; i++) expect((await guess(challengeId, "000000")).ok).toBe(false);
    }
    await expect(issue()).rejects.toThrow(/Too many wrong verification codes\. Try again in/);
    const [live] = await database.db.select().from(stepUpChallenges).where(eq(stepUpChallenges.userId, guesser.id)).orderBy(desc(stepUpChallenges.createdAt)).limit(1);
    expect(live.failedAttempts).toBe(2);
    // Even a right code of a challenge with tries left is refused now.
    const [row] = await database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, guesser.email)).orderBy(desc(emailOutbox.createdAt)).limit(1);
    const code = readBody(row)!.text.match(/code is (\d{6})/)![1];
    expect(await guess(live.id, code)).toMatchObject({ ok: false, reason: "locked", error: expect.stringMatching(/Too many wrong verification codes/) });
  });

  it("counts wrong codes sent in parallel across challenges: at most 10 are ever checked", async () => {
    const [user] = await insertMembers(database.db, [{ accountId: actor.accountId, email: "burst@acme.test", roles: ["admin"], status: "active" }]);
    const burster = from(user);
    const challenges = [];
    for (let i = 0; i < 4; i++) challenges.push((await database.db.transaction((tx) => issueStepUpChallenge(tx, burster, binding))).challengeId);
    const verdicts = await Promise.all(
      challenges.flatMap((challengeId) =>
        Array.from({ length: 4 }, () => database.db.transaction((tx) => consumeStepUpChallenge(tx, burster, binding, { challengeId, code: "000000" }))),
      ),
    );
    expect(verdicts.filter((v) => !v.ok && v.reason === "wrong-code").length).toBeLessThanOrEqual(10);
    expect(verdicts.filter((v) => !v.ok && v.reason === "locked" && /Too many wrong verification codes/.test(v.error)).length).toBeGreaterThanOrEqual(6);
  });

  it("limits how many challenges one user can start, so nobody floods an inbox", async () => {
    const [user] = await insertMembers(database.db, [{ accountId: actor.accountId, email: "flood@acme.test", roles: ["admin"], status: "active" }]);
    const flooder = from(user);
    for (let i = 0; i < 30; i++) await database.db.transaction((tx) => issueStepUpChallenge(tx, flooder, binding));
    await expect(database.db.transaction((tx) => issueStepUpChallenge(tx, flooder, binding))).rejects.toThrow(/Too many verification codes sent/);
    const sent = await database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, flooder.email));
    expect(sent).toHaveLength(30);
  });
});
