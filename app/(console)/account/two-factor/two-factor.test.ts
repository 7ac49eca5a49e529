import { insertMembers } from "@/db/queries/users";
import { and, count, desc, eq } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, emailOutbox, rateLimits, sessions, users, type User } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import type { CurrentUser } from "@/lib/auth/session";
import { createSignInGrant, redeemReadyGrant } from "@/lib/auth/sign-in-grants";
import { acceptTotpCode, redeemBackupCode } from "@/lib/auth/totp";
import { decrypt } from "@/lib/crypto";
import { readBody } from "@/lib/email";

// Who is calling (the browser's session cookie) and the request's cookies; the rest is real.
const caller: { user: CurrentUser | null } = { user: null };
const jar = new Map<string, string>();
vi.mock("@/lib/auth/session", () => ({
  requireUser: async () => {
    if (!caller.user) throw new Error("NEXT_REDIRECT /sign-in");
    return caller.user;
  },
}));
vi.mock("@/lib/request", () => ({ requestContext: async () => ({ ip: "203.0.113.9", userAgent: "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: (name: string) => (jar.has(name) ? { value: jar.get(name) } : undefined), delete: ({ name }: { name: string }) => jar.delete(name) }),
}));
const signIn = vi.fn();
vi.mock("@/lib/auth/next-auth", () => ({ signIn: (...args: unknown[]) => signIn(...args) }));

const { confirmTotpEnrolment, regenerateBackupCodesAction, startTotpEnrolment, turnOffTotp } = await import("./actions");
const { verifySecondFactorAction } = await import("@/app/(auth)/sign-in/verify/actions");
const { disableMember } = await import("@/app/(console)/users/actions");
const { SECOND_FACTOR_COOKIE } = await import("@/lib/auth/complete-sign-in");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let alice: User;
let bob: User;
const PASSWORD = "Demo-Password-2026!";
let passwordHash: string;

const as = (user: User, twoFactorEnabled = false) => {
  caller.user = currentUserOf(user, { twoFactorEnabled });
};
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

beforeAll(async () => {
  database = await useFreshDatabase();
  passwordHash = await hashPassword(PASSWORD);
  const [account] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  [alice, bob] = await insertMembers(database.db, [
      { accountId: account.id, email: "alice@acme.test", roles: ["admin"], status: "active", passwordHash },
      { accountId: account.id, email: "bob@acme.test", status: "active", passwordHash },
    ]);
});
afterAll(() => database.close());
beforeEach(() => {
  jar.clear();
  signIn.mockReset();
});

describe("enrolment (P3)", () => {
  let secret: string;

  it("refuses malformed codes and a code of another secret, leaving 2FA off", async () => {
    as(alice);
    const started = await startTotpEnrolment({ password: PASSWORD });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    secret = started.data.secret;
    expect(started.data.uri).toMatch(/^otpauth:\/\/totp\/Roster:alice%40acme\.test\?secret=[A-Z2-7]+&issuer=Roster$/);
    expect(started.data.qrDataUrl).toMatch(/^data:image\/png;base64,/);

    for (const code of ["abcdef", "123", "1234567", "12 34 56", ""]) {
      expect(await confirmTotpEnrolment({ code })).toMatchObject({ ok: false, fieldErrors: { code: "Enter the 6-digit code from your authenticator app." } });
    }
    const otherSecret = (await startTotpEnrolment({ password: PASSWORD })) as { ok: true; data: { secret: string } };
    const wrong = await confirmTotpEnrolment({ code: await generate({ secret: secret }) });
    // The pending secret is now the newer one: a code of the first secret does not confirm it.
    expect(wrong).toMatchObject({ ok: false, error: expect.stringMatching(/That code does not match/) });
    secret = otherSecret.data.secret;
    const [row] = await database.db.select().from(users).where(eq(users.id, alice.id));
    expect(row.totpEnabledAt).toBeNull();
  });

  it("confirms with a right code, stores the secret encrypted and 10 hashed backup codes", async () => {
    const result = await confirmTotpEnrolment({ code: await generate({ secret }) });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.backupCodes).toHaveLength(10);
    const [row] = await database.db.select().from(users).where(eq(users.id, alice.id));
    expect(row.totpEnabledAt).not.toBeNull();
    expect(row.totpSecretEncrypted).not.toContain(secret);
    expect(decrypt(row.totpSecretEncrypted!)).toBe(secret);
    // Unreadable without the key.
    expect(() => decrypt(row.totpSecretEncrypted!, Buffer.alloc(32, 9))).toThrow();
  });

  it("accepts a code once: the same code again, even in parallel, is refused", async () => {
    const next = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const results = await Promise.all([acceptTotpCode(database.db, alice.id, next), acceptTotpCode(database.db, alice.id, next)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await acceptTotpCode(database.db, alice.id, next)).toBe(false);
    // An older code is refused too.
    expect(await acceptTotpCode(database.db, alice.id, await generate({ secret }))).toBe(false);
  });

  it("cannot be turned off while enforcement applies", async () => {
    as(alice, true);
    await database.db.update(accounts).set({ enforceTwoFactor: true }).where(eq(accounts.id, alice.accountId));
    expect(await turnOffTotp({ code: "123456", password: PASSWORD })).toMatchObject({ ok: false, error: expect.stringMatching(/requires two-factor/) });
    await database.db.update(accounts).set({ enforceTwoFactor: false }).where(eq(accounts.id, alice.accountId));
  });

  it("throttles wrong codes when turning 2FA off: after 10, even the right code is refused and 2FA stays on", async () => {
    as(bob);
    const started = (await startTotpEnrolment({ password: PASSWORD })) as { ok: true; data: { secret: string } };
    expect((await confirmTotpEnrolment({ code: await generate({ secret: started.data.secret }) })).ok).toBe(true);
    as(bob, true);
    for (let i = 0; i < 10; i++) {
      expect(await turnOffTotp({ code: "000000", password: PASSWORD })).toMatchObject({ ok: false, error: "That code is not right, or it was already used." });
    }
    const right = await generate({ secret: started.data.secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect(await turnOffTotp({ code: right, password: PASSWORD })).toMatchObject({ ok: false, error: expect.stringMatching(/^Too many attempts\. Try again in/) });
    const [row] = await database.db.select().from(users).where(eq(users.id, bob.id));
    expect(row.totpEnabledAt).not.toBeNull();
  });
});

describe("a fresh proof before one's own 2FA changes (item 9)", () => {
  let dave: User;
  let secret: string;
  const pending = async () => (await database.db.select().from(users).where(eq(users.id, dave.id)))[0];
  const signInCounter = async () => (await database.db.select().from(rateLimits).where(eq(rateLimits.key, "signin:email:dave@acme.test")))[0]?.points ?? 0;
  const audited = async (action: string) => (await database.db.select().from(auditEvents).where(and(eq(auditEvents.actorId, dave.id), eq(auditEvents.action, action)))).length;
  const notices = async (to: string) =>
    (await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.kind, "security-notice")))).map((m) => m.subject);

  it("setting up asks for the password: none or a wrong one is refused, a wrong one counted and audited, and no secret is made", async () => {
    [dave] = await insertMembers(database.db, [{ accountId: alice.accountId, email: "dave@acme.test", status: "active", passwordHash }]);
    as(dave);
    expect(await startTotpEnrolment({})).toMatchObject({ ok: false, fieldErrors: { password: "Enter your password." } });
    expect(await startTotpEnrolment({ password: "Not-The-Password-1" })).toMatchObject({ ok: false, error: "That is not your current password." });
    expect((await pending()).totpPendingSecretEncrypted).toBeNull();
    expect(await signInCounter()).toBe(1);
    expect(await audited("two_factor.start_failed")).toBe(1);

    const started = await startTotpEnrolment({ password: PASSWORD });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    secret = started.data.secret;
    // A right password resets the count, as a sign-in does.
    expect(await signInCounter()).toBe(0);
  });

  it("turning it on emails a security notice", async () => {
    expect(await notices("dave@acme.test")).toEqual([]);
    expect((await confirmTotpEnrolment({ code: await generate({ secret }) })).ok).toBe(true);
    expect(await notices("dave@acme.test")).toEqual(["Two-factor authentication was turned on for your Roster account"]);
  });

  it("turning it off asks for the password beside the code: without it, or with a wrong one, 2FA stays on", async () => {
    as(dave, true);
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect(await turnOffTotp({ code })).toMatchObject({ ok: false, fieldErrors: { password: "Enter your password." } });
    expect(await turnOffTotp({ code, password: "Not-The-Password-1" })).toMatchObject({ ok: false, error: "That is not your current password." });
    expect((await pending()).totpEnabledAt).not.toBeNull();
    expect(await signInCounter()).toBe(1);
    expect(await audited("two_factor.disable_failed")).toBe(1);

    // The code was not spent by the refused try: with the password it turns 2FA off, and the member is told.
    expect(await turnOffTotp({ code, password: PASSWORD })).toEqual({ ok: true, data: {} });
    expect((await pending()).totpEnabledAt).toBeNull();
    expect(await notices("dave@acme.test")).toContain("Two-factor authentication was turned off on your Roster account");
  });

  it("an SSO member, who has no password, confirms with an emailed code instead", async () => {
    const [erin] = await insertMembers(database.db, [{ accountId: alice.accountId, email: "erin@acme.test", status: "active", ssoSubject: "idp|erin" }]);
    as(erin);
    const emailedCode = async () => {
      const [mail] = await database.db
        .select()
        .from(emailOutbox)
        .where(and(eq(emailOutbox.toAddress, "erin@acme.test"), eq(emailOutbox.kind, "step-up-code")))
        .orderBy(desc(emailOutbox.createdAt))
        .limit(1);
      return readBody(mail)!.text.match(/code is (\d{6})/)![1];
    };

    const asked = await startTotpEnrolment({});
    expect(asked).toMatchObject({ ok: false, stepUp: { action: "set up two-factor authentication", sentTo: "e•••@acme.test" } });
    expect((await database.db.select().from(users).where(eq(users.id, erin.id)))[0].totpPendingSecretEncrypted).toBeNull();
    const started = await startTotpEnrolment({}, { challengeId: asked.stepUp!.challengeId, code: await emailedCode() });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    expect((await confirmTotpEnrolment({ code: await generate({ secret: started.data.secret }) })).ok).toBe(true);
    expect(await notices("erin@acme.test")).toEqual(["Two-factor authentication was turned on for your Roster account"]);

    as(erin, true);
    const code = await generate({ secret: started.data.secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const askedAgain = await turnOffTotp({ code });
    expect(askedAgain).toMatchObject({ ok: false, stepUp: { action: "turn off two-factor authentication" } });
    expect(await turnOffTotp({ code }, { challengeId: askedAgain.stepUp!.challengeId, code: await emailedCode() })).toEqual({ ok: true, data: {} });
    expect((await database.db.select().from(users).where(eq(users.id, erin.id)))[0].totpEnabledAt).toBeNull();
  });
});

describe("new backup codes (P3, O4)", () => {
  it("take the password and a current code; the old codes stop working, the new ones work, and the person is told", async () => {
    const [fay] = await insertMembers(database.db, [{ accountId: alice.accountId, email: "fay@acme.test", status: "active", passwordHash }]);
    as(fay);
    expect(await regenerateBackupCodesAction({ code: "000000", password: PASSWORD })).toMatchObject({ ok: false, error: "Turn on two-factor authentication first." });
    const started = (await startTotpEnrolment({ password: PASSWORD })) as { ok: true; data: { secret: string } };
    const enrolled = await confirmTotpEnrolment({ code: await generate({ secret: started.data.secret }) });
    const oldCodes = (enrolled as { ok: true; data: { backupCodes: string[] } }).data.backupCodes;
    as(fay, true);

    expect(await regenerateBackupCodesAction({ code: oldCodes[0] })).toMatchObject({ ok: false, fieldErrors: { password: "Enter your password." } });
    expect(await regenerateBackupCodesAction({ code: oldCodes[0], password: "Not-The-Password-1" })).toMatchObject({ ok: false, error: "That is not your current password." });
    expect(await regenerateBackupCodesAction({ code: "000000", password: PASSWORD })).toMatchObject({ ok: false, error: "That code is not right, or it was already used." });

    const made = await regenerateBackupCodesAction({ code: oldCodes[0], password: PASSWORD });
    expect(made.ok).toBe(true);
    const newCodes = (made as { ok: true; data: { backupCodes: string[] } }).data.backupCodes;
    expect(newCodes).toHaveLength(10);
    expect(await redeemBackupCode(database.db, fay.id, oldCodes[1])).toBe(false);
    expect(await redeemBackupCode(database.db, fay.id, newCodes[0])).toBe(true);

    const [notice] = await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, "fay@acme.test"), eq(emailOutbox.kind, "security-notice"))).orderBy(desc(emailOutbox.createdAt)).limit(1);
    expect(notice.subject).toBe("New backup codes were made for your Roster account");
    const text = readBody(notice)!.text;
    for (const code of newCodes) expect(text).not.toContain(code);
    expect(text).toMatch(/\/this-wasnt-me\/[A-Za-z0-9_-]{59}\n/);
    expect((await database.db.select().from(auditEvents).where(and(eq(auditEvents.actorId, fay.id), eq(auditEvents.action, "two_factor.backup_codes_regenerated")))).length).toBe(1);
    expect((await database.db.select().from(auditEvents).where(and(eq(auditEvents.actorId, fay.id), eq(auditEvents.action, "two_factor.backup_codes_failed")))).length).toBe(1);
  });
});

describe("the second sign-in step", () => {
  it("opens no session before the second factor, and throttles wrong codes", async () => {
    const token = await createSignInGrant(database.db, alice.id, "second-factor");
    jar.set(SECOND_FACTOR_COOKIE, token);
    // The half-signed-in token is not a session and cannot be redeemed as one.
    expect(await redeemReadyGrant(database.db, token)).toBeNull();
    expect((await database.db.select({ n: count() }).from(sessions))[0].n).toBe(0);

    for (let i = 0; i < 5; i++) {
      const wrong = await verifySecondFactorAction({}, form({ code: "000000", next: "/account" }));
      expect(wrong.error).toBe("That code is not right, or it was already used.");
    }
    const [row] = await database.db.select().from(users).where(eq(users.id, alice.id));
    const right = await generate({ secret: decrypt(row.totpSecretEncrypted!), epoch: Math.floor(Date.now() / 1000) + 30 });
    const sixth = await verifySecondFactorAction({}, form({ code: right, next: "/account" }));
    expect(sixth).toMatchObject({ expired: true });
    expect(signIn).not.toHaveBeenCalled();
  });

  it("limits wrong codes per person across sign-in attempts: starting over does not buy more guesses", async () => {
    const [carol] = await insertMembers(database.db, [{ accountId: alice.accountId, email: "carol@acme.test", status: "active", passwordHash }]);
    as(carol);
    const started = (await startTotpEnrolment({ password: PASSWORD })) as { ok: true; data: { secret: string } };
    expect((await confirmTotpEnrolment({ code: await generate({ secret: started.data.secret }) })).ok).toBe(true);
    // Two sign-ins, five wrong codes each (each attempt dies after five).
    for (let attempt = 0; attempt < 2; attempt++) {
      jar.set(SECOND_FACTOR_COOKIE, await createSignInGrant(database.db, carol.id, "second-factor"));
      for (let i = 0; i < 5; i++) expect((await verifySecondFactorAction({}, form({ code: "000000" }))).error).toBe("That code is not right, or it was already used.");
    }
    // A third sign-in: even the right code is refused for now.
    jar.set(SECOND_FACTOR_COOKIE, await createSignInGrant(database.db, carol.id, "second-factor"));
    const right = await generate({ secret: started.data.secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect((await verifySecondFactorAction({}, form({ code: right }))).error).toMatch(/^Too many attempts\. Try again in/);
    expect(signIn).not.toHaveBeenCalled();
  });

  it("refuses management actions without a session (the half-signed-in state has none)", async () => {
    caller.user = null;
    await expect(disableMember({ userId: bob.id })).rejects.toThrow(/NEXT_REDIRECT/);
    const [row] = await database.db.select().from(users).where(eq(users.id, bob.id));
    expect(row.status).toBe("active");
  });

  it("refuses non-numeric, short and long codes with a clear message", async () => {
    jar.set(SECOND_FACTOR_COOKIE, await createSignInGrant(database.db, alice.id, "second-factor"));
    expect(await verifySecondFactorAction({}, form({ code: "" }))).toEqual({ error: "Enter the 6-digit code from your authenticator app, or a backup code." });
    expect(await verifySecondFactorAction({}, form({ code: "x".repeat(5000) }))).toEqual({ error: "That code is not right." });
    expect((await verifySecondFactorAction({}, form({ code: "12ab" }))).error).toBe("That code is not right, or it was already used.");
  });
});
