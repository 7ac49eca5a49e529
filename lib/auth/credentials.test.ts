import { insertMembers } from "@/db/queries/users";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/db/testing";
import { accounts, sessions, users } from "@/db/schema";
import { checkPassword, INVALID_CREDENTIALS, signInSchema } from "./credentials";
import { findSessionPrincipal } from "@/db/queries/principals";
import { createSession } from "@/db/queries/sessions";
import { createSignInGrant, redeemReadyGrant } from "./sign-in-grants";
import { hashPassword } from "./password";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
const PASSWORD = "Correct-Horse-9!";
const context = (ip: string) => ({ ip, userAgent: "vitest" });

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Test" }).returning();
  const passwordHash = await hashPassword(PASSWORD);
  await insertMembers(database.db, [
    { accountId: account.id, email: "active@example.test", roles: ["admin"], status: "active", passwordHash },
    { accountId: account.id, email: "target@example.test", status: "active", passwordHash },
    { accountId: account.id, email: "disabled@example.test", status: "disabled", passwordHash },
  ]);
});

afterAll(() => database.close());

const sessionCount = async () => (await database.db.select({ n: count() }).from(sessions))[0].n;

describe("password sign-in", () => {
  it("accepts the right password; a one-time grant then opens a session stored only as a hash", async () => {
    const result = await checkPassword(database.db, { email: " Active@Example.test ", password: PASSWORD }, context("10.0.0.1"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(await sessionCount()).toBe(0);

    const grant = await createSignInGrant(database.db, result.user.id, "ready");
    expect(await redeemReadyGrant(database.db, grant)).toBe(result.user.id);
    expect(await redeemReadyGrant(database.db, grant)).toBeNull();
    // A half-signed-in grant (password right, second factor pending) opens nothing.
    expect(await redeemReadyGrant(database.db, await createSignInGrant(database.db, result.user.id, "second-factor"))).toBeNull();

    const sessionId = await createSession(database.db, { userId: result.user.id, maxAgeSeconds: 60, ip: null, userAgent: null });
    const rows = await database.db.select().from(sessions);
    expect(rows).toHaveLength(1);
    expect(rows[0].idHash).not.toBe(sessionId);
    expect(rows[0].idHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await findSessionPrincipal(database.db, sessionId, { idleMinutes: 60 }))?.user.id).toBe(result.user.id);
    await database.db.update(users).set({ status: "disabled" }).where(eq(users.id, result.user.id));
    expect(await findSessionPrincipal(database.db, sessionId, { idleMinutes: 60 })).toBeNull();
    await database.db.update(users).set({ status: "active" }).where(eq(users.id, result.user.id));
  });

  it("answers unknown address, wrong password and disabled user identically", async () => {
    const before = await sessionCount();
    const answers = await Promise.all(
      [
        { email: "nobody@example.test", password: PASSWORD },
        { email: "active@example.test", password: "Wrong-Password-1!" },
        { email: "disabled@example.test", password: PASSWORD },
      ].map((input, i) => checkPassword(database.db, input, context(`10.0.1.${i}`))),
    );
    for (const answer of answers) expect(answer).toEqual({ ok: false, reason: "invalid", error: INVALID_CREDENTIALS });
    expect(await sessionCount()).toBe(before);
  });

  it("throttles an address after 5 failures, even with the right password, without blocking others", async () => {
    for (let i = 0; i < 5; i++) {
      const r = await checkPassword(database.db, { email: "target@example.test", password: `guess-${i}` }, context(`10.0.2.${i}`));
      expect(r).toMatchObject({ ok: false, reason: "invalid" });
    }
    const blocked = await checkPassword(database.db, { email: "target@example.test", password: PASSWORD }, context("10.0.2.99"));
    expect(blocked).toMatchObject({ ok: false, reason: "throttled" });
    if (!blocked.ok) expect(blocked.error).toMatch(/Too many sign-in attempts\. Try again in \d+ minutes\./);

    // An unknown address is throttled the same way: no hint that it does not exist.
    for (let i = 0; i < 5; i++) await checkPassword(database.db, { email: "ghost@example.test", password: "x" }, context("10.0.3.1"));
    expect(await checkPassword(database.db, { email: "ghost@example.test", password: "x" }, context("10.0.3.2"))).toMatchObject({
      reason: "throttled",
    });

    // Someone else signs in as usual.
    expect((await checkPassword(database.db, { email: "active@example.test", password: PASSWORD }, context("10.0.2.1"))).ok).toBe(true);
  });

  it("counts a burst of parallel guesses before checking any password, so only 5 are ever tried", async () => {
    await insertMembers(database.db, [{ accountId: (await database.db.select().from(accounts))[0].id, email: "burst@example.test", status: "active", passwordHash: await hashPassword(PASSWORD) }]);
    const guesses = Array.from({ length: 20 }, (_, i) => (i === 19 ? PASSWORD : `guess-${i}`));
    const answers = await Promise.all(guesses.map((password, i) => checkPassword(database.db, { email: "burst@example.test", password }, context(`10.0.4.${i}`))));
    expect(answers.filter((a) => !a.ok && a.reason === "invalid").length + answers.filter((a) => a.ok).length).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => !a.ok && a.reason === "throttled").length).toBeGreaterThanOrEqual(15);
  });

  it("throttles an IP address across many accounts", async () => {
    for (let i = 0; i < 50; i++) {
      await checkPassword(database.db, { email: `spray-${i}@example.test`, password: "x" }, context("10.9.9.9"));
    }
    const r = await checkPassword(database.db, { email: "active@example.test", password: PASSWORD }, context("10.9.9.9"));
    expect(r).toMatchObject({ ok: false, reason: "throttled" });

    // Refused for its IP, a request uses up nothing of the address: one IP cannot lock people out.
    for (let i = 0; i < 10; i++) await checkPassword(database.db, { email: "active@example.test", password: "wrong" }, context("10.9.9.9"));
    expect((await checkPassword(database.db, { email: "active@example.test", password: PASSWORD }, context("10.9.9.10"))).ok).toBe(true);
  });

  it("keeps its counters in the database, shared by every instance", async () => {
    const { rateLimits } = await import("@/db/schema");
    const [row] = await database.db.select().from(rateLimits).where(eq(rateLimits.key, "signin:email:target@example.test"));
    expect(row.points).toBeGreaterThanOrEqual(5);
  });
});

describe("sign-in input", () => {
  it.each([
    [{ email: "not-an-email", password: "x" }, "Enter a valid email address."],
    [{ email: "", password: "x" }, "Enter your email address."],
    [{ email: "a@example.test", password: "" }, "Enter your password."],
    [{ email: "a@example.test", password: "x".repeat(1024 * 1024) }, "Passwords are at most 256 characters."],
  ])("refuses %# with a clear message", (input, message) => {
    const parsed = signInSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toBe(message);
  });
});
