import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/db/testing";
import { accounts, sessions, users } from "@/db/schema";
import { INVALID_CREDENTIALS, signInSchema, signInWithPassword } from "./credentials";
import { hashPassword } from "./password";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
const PASSWORD = "Correct-Horse-9!";
const context = (ip: string) => ({ ip, userAgent: "vitest" });

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Test" }).returning();
  const passwordHash = await hashPassword(PASSWORD);
  await database.db.insert(users).values([
    { accountId: account.id, email: "active@example.test", role: "primary", status: "active", passwordHash },
    { accountId: account.id, email: "target@example.test", status: "active", passwordHash },
    { accountId: account.id, email: "disabled@example.test", status: "disabled", passwordHash },
  ]);
});

afterAll(() => database.close());

const sessionCount = async () => (await database.db.select({ n: count() }).from(sessions))[0].n;

describe("password sign-in", () => {
  it("opens a session for the right password and stores only its hash", async () => {
    const result = await signInWithPassword(database.db, { email: " Active@Example.test ", password: PASSWORD }, context("10.0.0.1"), 3600);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const rows = await database.db.select().from(sessions);
    expect(rows).toHaveLength(1);
    expect(rows[0].idHash).not.toBe(result.sessionId);
    expect(rows[0].idHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("answers unknown address, wrong password and disabled user identically", async () => {
    const before = await sessionCount();
    const answers = await Promise.all(
      [
        { email: "nobody@example.test", password: PASSWORD },
        { email: "active@example.test", password: "Wrong-Password-1!" },
        { email: "disabled@example.test", password: PASSWORD },
      ].map((input, i) => signInWithPassword(database.db, input, context(`10.0.1.${i}`), 3600)),
    );
    for (const answer of answers) expect(answer).toEqual({ ok: false, reason: "invalid", error: INVALID_CREDENTIALS });
    expect(await sessionCount()).toBe(before);
  });

  it("throttles an address after 5 failures, even with the right password, without blocking others", async () => {
    for (let i = 0; i < 5; i++) {
      const r = await signInWithPassword(database.db, { email: "target@example.test", password: `guess-${i}` }, context(`10.0.2.${i}`), 3600);
      expect(r).toMatchObject({ ok: false, reason: "invalid" });
    }
    const blocked = await signInWithPassword(database.db, { email: "target@example.test", password: PASSWORD }, context("10.0.2.99"), 3600);
    expect(blocked).toMatchObject({ ok: false, reason: "throttled" });
    if (!blocked.ok) expect(blocked.error).toMatch(/Too many sign-in attempts\. Try again in \d+ minutes\./);

    // An unknown address is throttled the same way: no hint that it does not exist.
    for (let i = 0; i < 5; i++) await signInWithPassword(database.db, { email: "ghost@example.test", password: "x" }, context("10.0.3.1"), 3600);
    expect(await signInWithPassword(database.db, { email: "ghost@example.test", password: "x" }, context("10.0.3.2"), 3600)).toMatchObject({
      reason: "throttled",
    });

    // Someone else signs in as usual.
    expect((await signInWithPassword(database.db, { email: "active@example.test", password: PASSWORD }, context("10.0.2.1"), 3600)).ok).toBe(true);
  });

  it("throttles an IP address across many accounts", async () => {
    for (let i = 0; i < 50; i++) {
      await signInWithPassword(database.db, { email: `spray-${i}@example.test`, password: "x" }, context("10.9.9.9"), 3600);
    }
    const r = await signInWithPassword(database.db, { email: "active@example.test", password: PASSWORD }, context("10.9.9.9"), 3600);
    expect(r).toMatchObject({ ok: false, reason: "throttled" });
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
