import { insertMembers } from "@/db/queries/users";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { findSessionPrincipal } from "@/db/queries/principals";
import { createSession } from "@/db/queries/sessions";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, rateLimits, users, type User } from "@/db/schema";
import { checkPassword } from "@/lib/auth/credentials";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import type { CurrentUser } from "@/lib/auth/session";

// Who is calling (the browser's session cookie); the rest is real.
const caller: { user: CurrentUser | null } = { user: null };
vi.mock("@/lib/auth/session", () => ({
  requireUser: async () => {
    if (!caller.user) throw new Error("NEXT_REDIRECT /sign-in");
    return caller.user;
  },
}));
vi.mock("@/lib/request", () => ({ requestContext: async () => ({ ip: "203.0.113.9", userAgent: "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { changePassword } = await import("./actions");

const PASSWORD = "Demo-Password-2026!";
const NEW_PASSWORD = "Quartz-Meadow-5150";
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let account: { id: string };

beforeAll(async () => {
  database = await useFreshDatabase();
  [account] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
});
afterAll(() => database.close());

/** A member with a password, signed in: the caller is their live session. */
async function signedIn(email: string): Promise<{ user: User; sessionId: string }> {
  const [user] = await insertMembers(database.db, [{ accountId: account.id, email, status: "active", passwordHash: await hashPassword(PASSWORD) }]);
  const sessionId = await createSession(database.db, { userId: user.id, maxAgeSeconds: 3600, ip: null, userAgent: null });
  caller.user = currentUserOf(user, { sessionId });
  return { user, sessionId };
}
const failures = async (user: User) =>
  database.db.select().from(auditEvents).where(and(eq(auditEvents.actorId, user.id), eq(auditEvents.action, "password.change_failed")));
const guess = (current: string) => changePassword({ current, password: NEW_PASSWORD, confirm: NEW_PASSWORD });

describe("change password: wrong current passwords (P5)", () => {
  it("counts them with sign-in's per-person limit: each is audited, the 5th ends the session, and sign-in is throttled too", async () => {
    const { user, sessionId } = await signedIn("chris@acme.test");
    for (let i = 1; i <= 4; i++) {
      expect(await guess(`Wrong-Guess-${i}`)).toMatchObject({ ok: false, error: "That is not your current password." });
      expect(await findSessionPrincipal(database.db, sessionId, { idleMinutes: 60 })).not.toBeNull();
    }
    expect(await guess("Wrong-Guess-5")).toMatchObject({ ok: false, error: expect.stringMatching(/^Too many wrong passwords, so you were signed out to protect your account\. You can sign in again in \d+ minutes\.$/) });
    expect(await findSessionPrincipal(database.db, sessionId, { idleMinutes: 60 })).toBeNull();

    const audited = await failures(user);
    expect(audited).toHaveLength(5);
    expect(audited.map((a) => a.details)).toEqual([...Array(4).fill({ reason: "wrong_password", signedOut: false }), { reason: "wrong_password", signedOut: true }]);
    expect(audited[0]).toMatchObject({ targetType: "user", targetId: user.id, ip: "203.0.113.9" });
    // Nothing changed, and the same allowance now holds at sign-in, even for the right password.
    const [row] = await database.db.select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(true);
    expect(await checkPassword(database.db, { email: "Chris@Acme.test", password: PASSWORD }, { ip: "198.51.100.1", userAgent: null })).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("shares the allowance with sign-in: guesses there leave fewer here", async () => {
    const { user, sessionId } = await signedIn("dee@acme.test");
    for (let i = 0; i < 4; i++) await checkPassword(database.db, { email: "dee@acme.test", password: "nope" }, { ip: `198.51.100.${10 + i}`, userAgent: null });
    expect((await guess("Wrong-Guess")).error).toMatch(/^Too many wrong passwords/);
    expect(await findSessionPrincipal(database.db, sessionId, { idleMinutes: 60 })).toBeNull();
    expect(await failures(user)).toHaveLength(1);
  });

  it("a right current password resets the count, as a sign-in does", async () => {
    const { user } = await signedIn("eli@acme.test");
    for (let i = 0; i < 4; i++) await guess(`Wrong-Guess-${i}`);
    const counter = () => database.db.select().from(rateLimits).where(eq(rateLimits.key, "signin:email:eli@acme.test"));
    expect((await counter())[0].points).toBe(4);
    expect(await guess(PASSWORD)).toEqual({ ok: true, data: {} });
    expect(await counter()).toHaveLength(0);
    const [row] = await database.db.select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword(row.passwordHash, NEW_PASSWORD)).toBe(true);
  });
});
