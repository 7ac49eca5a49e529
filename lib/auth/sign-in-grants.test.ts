import { insertMembers } from "@/db/queries/users";
import { hashPassword } from "@/lib/auth/password";
import { and, desc, eq } from "drizzle-orm";
import { generate, generateSecret } from "otplib";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { findSessionPrincipal } from "@/db/queries/principals";
import { createSession } from "@/db/queries/sessions";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, emailOutbox, users, type User } from "@/db/schema";
import type { CurrentUser } from "@/lib/auth/session";
import { encrypt } from "@/lib/crypto";
import { readBody } from "@/lib/email";

// Who is calling and the request's cookies; everything after them is the real code.
const caller: { user: CurrentUser | null } = { user: null };
const jar = new Map<string, string>();
vi.mock("@/lib/auth/session", () => ({
  requireUser: async () => {
    if (!caller.user) throw new Error("NEXT_REDIRECT /sign-in");
    return caller.user;
  },
}));
vi.mock("@/lib/request", () => ({ requestContext: async () => ({ ip: "203.0.113.10", userAgent: "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: (name: string) => (jar.has(name) ? { value: jar.get(name) } : undefined), delete: ({ name }: { name: string }) => jar.delete(name) }),
}));
const signIn = vi.fn();
vi.mock("@/lib/auth/next-auth", () => ({ signIn: (...args: unknown[]) => signIn(...args) }));

const { verifySecondFactorAction } = await import("@/app/(auth)/sign-in/verify/actions");
const { resetPasswordAction } = await import("@/app/(auth)/reset-password/[token]/actions");
const { turnOffTotp } = await import("@/app/(console)/account/two-factor/actions");
const { removeMemberTwoFactor } = await import("@/app/(console)/users/actions");
const { SECOND_FACTOR_COOKIE } = await import("./complete-sign-in");
const { createSignInGrant } = await import("./sign-in-grants");
const { requestPasswordReset, setNewPassword } = await import("./password-reset");
const { disableMember, enableMember } = await import("@/lib/team/members");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let admin: User;
const context = { ip: "203.0.113.10", userAgent: "vitest" };
const secrets = new Map<string, string>();

/** A member with 2FA on, as the enrolment leaves them. */
async function memberWithTwoFactor(email: string): Promise<User> {
  const secret = generateSecret();
  const [user] = await insertMembers(database.db, [{ accountId: admin.accountId, email, name: email.split("@")[0], status: "active", totpSecretEncrypted: encrypt(secret), totpEnabledAt: new Date() }]);
  secrets.set(user.id, secret);
  return user;
}

/** The password was right: the member waits at the second step, holding its cookie. */
async function passwordStepDone(user: User) {
  jar.set(SECOND_FACTOR_COOKIE, await createSignInGrant(database.db, user.id, "second-factor"));
}

/** The second step with a right code from the member's app. */
async function finishSecondStep(user: User) {
  const form = new FormData();
  form.set("code", await generate({ secret: secrets.get(user.id)!, epoch: Math.floor(Date.now() / 1000) + 30 }));
  form.set("next", "/account");
  return verifySecondFactorAction({}, form);
}

const endedSignIn = { expired: true, error: "Your sign-in has expired or had too many wrong codes. Sign in again." };

async function latestEmail(to: string, kind: string) {
  const [row] = await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.kind, kind))).orderBy(desc(emailOutbox.createdAt)).limit(1);
  return readBody(row)!.text;
}

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  [admin] = await insertMembers(database.db, [{ accountId: account.id, email: "admin@acme.test", name: "Ada", roles: ["admin"], status: "active" }]);
});
afterAll(() => database.close());
beforeEach(() => {
  jar.clear();
  signIn.mockReset();
});

describe("what ends access also ends a sign-in waiting at its second step", () => {
  it("a sign-in left waiting completes with the right code (the baseline)", async () => {
    const member = await memberWithTwoFactor("baseline@acme.test");
    await passwordStepDone(member);
    await expect(finishSecondStep(member)).rejects.toThrow(/NEXT_REDIRECT/);
    expect(signIn).toHaveBeenCalledTimes(1);
  });

  it("a password change from Personal Account: the other sessions and the waiting sign-in end, this session stays", async () => {
    const member = await memberWithTwoFactor("changer@acme.test");
    const current = await createSession(database.db, { userId: member.id, maxAgeSeconds: 3600, ip: null, userAgent: null });
    const other = await createSession(database.db, { userId: member.id, maxAgeSeconds: 3600, ip: null, userAgent: null });
    await passwordStepDone(member);
    await database.db.transaction((tx) => setNewPassword(tx, member, "Tidal-Orbit-4821", { keepSessionId: current, context, action: "password.changed" }));
    expect(await finishSecondStep(member)).toEqual(endedSignIn);
    expect(signIn).not.toHaveBeenCalled();
    // What the step-up email promises: changing the password signs out every other session.
    expect(await findSessionPrincipal(database.db, current, { idleMinutes: 60 })).not.toBeNull();
    expect(await findSessionPrincipal(database.db, other, { idleMinutes: 60 })).toBeNull();
    // The notice carries the way back in for a person who did not change it: This wasn't me.
    expect(await latestEmail(member.email, "security-notice")).toMatch(/This wasn't me: if you did not do this, open this link\. .*\n.*\/this-wasnt-me\/[A-Za-z0-9_-]{59}\n/);
  });

  it("a password reset by emailed link", async () => {
    const member = await memberWithTwoFactor("resetter@acme.test");
    await database.db.update(users).set({ passwordHash: "old" }).where(eq(users.id, member.id));
    await database.db.transaction((tx) => requestPasswordReset(tx, member.email, context));
    const token = (await latestEmail(member.email, "password-reset")).match(/reset-password\/([A-Za-z0-9_-]{43})/)![1];
    await passwordStepDone(member);
    const form = new FormData();
    for (const [k, v] of Object.entries({ token, password: "Tidal-Orbit-4821", confirm: "Tidal-Orbit-4821" })) form.set(k, v);
    expect(await resetPasswordAction({}, form)).toEqual({ done: true });
    expect(await finishSecondStep(member)).toEqual(endedSignIn);
    expect(signIn).not.toHaveBeenCalled();
  });

  it("a disable: the sign-in does not come back when the member is enabled again", async () => {
    const member = await memberWithTwoFactor("disabled@acme.test");
    await passwordStepDone(member);
    await database.db.transaction((tx) => disableMember(tx, { principal: currentUserOf(admin), request: context }, { userId: member.id }));
    await database.db.transaction((tx) => enableMember(tx, { principal: currentUserOf(admin), request: context }, { userId: member.id }));
    expect(await finishSecondStep(member)).toEqual(endedSignIn);
    expect(signIn).not.toHaveBeenCalled();
  });

  it("turning one's own 2FA off", async () => {
    const member = await memberWithTwoFactor("self-off@acme.test");
    // Turning 2FA off takes the password too (item 9).
    const [withPassword] = await database.db.update(users).set({ passwordHash: await hashPassword("Tidal-Orbit-4821") }).where(eq(users.id, member.id)).returning();
    await passwordStepDone(member);
    caller.user = currentUserOf(withPassword, { twoFactorEnabled: true });
    expect(await turnOffTotp({ code: await generate({ secret: secrets.get(member.id)! }), password: "Tidal-Orbit-4821" })).toEqual({ ok: true, data: {} });
    expect(await finishSecondStep(member)).toEqual(endedSignIn);
    expect(signIn).not.toHaveBeenCalled();
    const notice = await latestEmail(member.email, "security-notice");
    expect(notice).toContain("This wasn't me: if you did not do this, open this link. Once you confirm, it signs you out everywhere, revokes your API keys and has you set a new password:");
    expect(notice).toContain("set it up again on Personal Account → Two-Factor Authentication");
  });

  it("an admin removing a member's 2FA: their sessions end too, and the email says so", async () => {
    const member = await memberWithTwoFactor("lost-phone@acme.test");
    const sessions = [
      await createSession(database.db, { userId: member.id, maxAgeSeconds: 3600, ip: null, userAgent: null }),
      await createSession(database.db, { userId: member.id, maxAgeSeconds: 3600, ip: null, userAgent: null }),
    ];
    await passwordStepDone(member);
    caller.user = currentUserOf(admin);
    const { stepUp } = await removeMemberTwoFactor({ userId: member.id });
    const code = (await latestEmail(admin.email, "step-up-code")).match(/code is (\d{6})/)![1];
    expect(await removeMemberTwoFactor({ userId: member.id }, { challengeId: stepUp!.challengeId, code })).toEqual({ ok: true, data: { email: member.email } });

    for (const session of sessions) expect(await findSessionPrincipal(database.db, session, { idleMinutes: 60 })).toBeNull();
    expect(await finishSecondStep(member)).toEqual(endedSignIn);
    expect(signIn).not.toHaveBeenCalled();
    expect(await latestEmail(member.email, "security-notice")).toContain("Every session of your account was signed out: sign in again with your password.");
  });
});
