import { and, eq } from "drizzle-orm";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { insertMembers } from "@/db/queries/users";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, identityProviders, passkeys, signInAttempts, signInGrants, users, type User } from "@/db/schema";
import { checkPassword } from "@/lib/auth/credentials";
import { hashPassword } from "@/lib/auth/password";
import { createSignInGrant, redeemReadyGrant } from "@/lib/auth/sign-in-grants";
import { PASSKEY_CHALLENGE_COOKIE, relyingParty } from "@/lib/passkeys/ceremony";
import { finishPasskeyRegistration, startPasskeyRegistration, takeRegistrationChallenge } from "@/lib/passkeys/registration";
import { SoftAuthenticator, type Misbehaviour } from "@/lib/passkeys/soft-authenticator";
import { sha256 } from "@/lib/crypto";

// The browser's cookies and next-auth's signIn (which would set the session cookie) are
// stand-ins; the rest is real: actions, SimpleWebAuthn's verification, database.
const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { value: jar.get(name) } : undefined),
    set: (name: string, value: string) => jar.set(name, value),
    delete: (cookie: string | { name: string }) => jar.delete(typeof cookie === "string" ? cookie : cookie.name),
  }),
}));
vi.mock("@/lib/request", () => ({ requestContext: async () => ({ ip: "203.0.113.7", userAgent: "vitest" }) }));
const signIn = vi.fn();
vi.mock("@/lib/auth/next-auth", () => ({ signIn: (...args: unknown[]) => signIn(...args) }));

const { startPasskeySignIn, finishPasskeySignIn } = await import("./passkey-actions");
const { startPasskeySecondFactor, verifyPasskeySecondFactor } = await import("./verify/passkey-actions");
const { SECOND_FACTOR_COOKIE } = await import("@/lib/auth/complete-sign-in");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let pat: User;
let sam: User;
const PASSWORD = "Demo-Password-2026!";
const patsKey = new SoftAuthenticator();
const samsKey = new SoftAuthenticator();
const origin = () => relyingParty().origin;

/** Registers a passkey through the same operations the Security page's actions bind. */
async function register(user: User, authenticator: SoftAuthenticator) {
  const principal = currentUserOf(user);
  const { options, token } = await startPasskeyRegistration(database.db, principal);
  const challengeMatches = await takeRegistrationChallenge(database.db, principal, token);
  const response = authenticator.create(options, origin());
  await database.db.transaction((tx) => finishPasskeyRegistration(tx, { principal, request: { ip: null, userAgent: null } }, { name: "Key", response, challengeMatches }));
}

async function passwordlessOptions() {
  const started = await startPasskeySignIn();
  if (!started.ok) throw new Error(started.error);
  return started.options;
}

/** The person whose session next-auth was asked to open, or null when none was. */
async function signedIn(): Promise<string | null> {
  const call = signIn.mock.calls.at(-1);
  if (!call) return null;
  return redeemReadyGrant(database.db, (call[1] as { grant: string }).grant);
}

const storedPasskey = async (user: User) => (await database.db.select().from(passkeys).where(eq(passkeys.userId, user.id)))[0];
/** O2: the passkey sign-in attempts recorded for a person (null: for nobody), oldest first. */
const passkeyAttempts = async (user: User | null) =>
  (
    await database.db
      .select({ result: signInAttempts.result, userId: signInAttempts.userId })
      .from(signInAttempts)
      .where(eq(signInAttempts.method, "passkey"))
      .orderBy(signInAttempts.id)
  )
    .filter((row) => row.userId === (user?.id ?? null))
    .map((row) => row.result);
const refusals = async (user: User) =>
  (await database.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, user.id), eq(auditEvents.action, "passkey.refused")))).map((e) => (e.details as { reason: string }).reason);

beforeAll(async () => {
  database = await useFreshDatabase();
  const passwordHash = await hashPassword(PASSWORD);
  const [account] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  [pat, sam] = await insertMembers(database.db, [
    { accountId: account.id, email: "pat@acme.test", status: "active", passwordHash },
    { accountId: account.id, email: "sam@acme.test", status: "active", passwordHash },
  ]);
  await register(pat, patsKey);
  await register(sam, samsKey);
});
afterAll(() => database.close());
beforeEach(() => {
  jar.clear();
  signIn.mockReset();
});

describe("Sign in with a passkey (B1, passwordless)", () => {
  it("asks for any of our passkeys, with user verification; a verified one opens a session and is recorded", async () => {
    const options = await passwordlessOptions();
    expect(options).toMatchObject({ rpId: "roster.test", userVerification: "required" });
    expect(options.allowCredentials ?? []).toEqual([]);
    await expect(finishPasskeySignIn(patsKey.get(options, origin()), "/users")).rejects.toThrow("NEXT_REDIRECT");
    expect(await signedIn()).toBe(pat.id);
    expect(jar.has(PASSKEY_CHALLENGE_COOKIE)).toBe(false);
    expect(await storedPasskey(pat)).toMatchObject({ counter: 1, lastUsedAt: expect.any(Date) });
    const [event] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.actorId, pat.id), eq(auditEvents.action, "passkey.signed_in")));
    expect(event).toMatchObject({ ip: "203.0.113.7", details: { step: "passwordless", name: "Key" } });
  });

  it("refuses a replayed assertion: without its challenge's cookie, and with a new ceremony's", async () => {
    const nobodys = (await passkeyAttempts(null)).length;
    const pats = (await passkeyAttempts(pat)).length;
    const first = patsKey.get(await passwordlessOptions(), origin());
    const token = jar.get(PASSKEY_CHALLENGE_COOKIE)!;
    await expect(finishPasskeySignIn(first, "/")).rejects.toThrow("NEXT_REDIRECT");
    signIn.mockReset();
    // The same answer again: its challenge was spent, even with the cookie put back.
    expect(await finishPasskeySignIn(first, "/")).toEqual({ error: expect.stringMatching(/took too long or was already used/) });
    jar.set(PASSKEY_CHALLENGE_COOKIE, token);
    expect(await finishPasskeySignIn(first, "/")).toEqual({ error: expect.stringMatching(/took too long or was already used/) });
    // Answering a new challenge with the old signature: the challenge does not match.
    await passwordlessOptions();
    expect(await finishPasskeySignIn(first, "/")).toEqual({ error: expect.stringMatching(/^That passkey could not sign you in/) });
    expect(signIn).not.toHaveBeenCalled();
    // O2: each refusal is in the sign-in activity — a spent challenge belongs to nobody yet; a wrong signature, to the passkey's owner.
    expect((await passkeyAttempts(null)).slice(nobodys)).toEqual(["timed_out", "timed_out"]);
    expect((await passkeyAttempts(pat)).slice(pats)).toEqual(["passkey_refused"]);
  });

  it("with an authenticator that keeps no count (synced passkeys report 0), the spent challenge alone stops a replay", async () => {
    const [lee] = await insertMembers(database.db, [{ accountId: pat.accountId, email: "lee@acme.test", status: "active" }]);
    const synced = new SoftAuthenticator({ counterless: true });
    await register(lee, synced);
    const answer = synced.get(await passwordlessOptions(), origin());
    const token = jar.get(PASSKEY_CHALLENGE_COOKIE)!;
    await expect(finishPasskeySignIn(answer, "/")).rejects.toThrow("NEXT_REDIRECT");
    expect(await storedPasskey(lee)).toMatchObject({ counter: 0, lastUsedAt: expect.any(Date) });
    signIn.mockReset();
    jar.set(PASSKEY_CHALLENGE_COOKIE, token);
    expect(await finishPasskeySignIn(answer, "/")).toEqual({ error: expect.stringMatching(/took too long or was already used/) });
    // A fresh answer of the same authenticator still works.
    await expect(finishPasskeySignIn(synced.get(await passwordlessOptions(), origin()), "/")).rejects.toThrow("NEXT_REDIRECT");
  });

  it("refuses a cloned authenticator: a signature count that does not go up is audited as such", async () => {
    const clone = patsKey.clone();
    const earlier = (await refusals(pat)).length;
    await expect(finishPasskeySignIn(patsKey.get(await passwordlessOptions(), origin()), "/")).rejects.toThrow("NEXT_REDIRECT");
    signIn.mockReset();
    const counter = (await storedPasskey(pat)).counter;
    // The copy's next count equals the one the real authenticator already used.
    expect(clone.credentials.values().next().value!.counter + 1).toBe(counter);
    expect(await finishPasskeySignIn(clone.get(await passwordlessOptions(), origin()), "/")).toEqual({ error: expect.stringMatching(/^That passkey could not sign you in/) });
    // A count that went backwards, or one reported as 0 after real counts, likewise.
    expect(await finishPasskeySignIn(patsKey.get(await passwordlessOptions(), origin(), { counter: 0 }), "/")).toMatchObject({ error: expect.any(String) });
    expect(signIn).not.toHaveBeenCalled();
    expect((await refusals(pat)).slice(earlier)).toEqual(["counter", "counter"]);
    expect((await storedPasskey(pat)).counter).toBe(counter);
  });

  it("refuses another origin, another RP ID, no user verification and a user handle that is not the passkey's owner", async () => {
    const cases: Misbehaviour[] = [{ origin: "https://evil.example" }, { rpId: "evil.example" }, { userVerified: false }];
    for (const misbehave of cases) {
      const response = samsKey.get(await passwordlessOptions(), origin(), misbehave);
      expect(await finishPasskeySignIn(response, "/"), JSON.stringify(misbehave)).toEqual({ error: expect.stringMatching(/^That passkey could not sign you in/) });
    }
    // Sam's key naming Pat as its person: no session for either.
    const patHandle = Buffer.from(pat.id.replace(/-/g, ""), "hex").toString("base64url");
    expect(await finishPasskeySignIn(samsKey.get(await passwordlessOptions(), origin(), { userHandle: patHandle }), "/")).toMatchObject({ error: expect.any(String) });
    expect(signIn).not.toHaveBeenCalled();
  });

  it("applies the rules of every sign-in: a disabled member, an account that signs in with SSO only, a password to reset or ended access gets no session", async () => {
    await database.db.update(users).set({ status: "disabled" }).where(eq(users.id, sam.id));
    expect(await finishPasskeySignIn(samsKey.get(await passwordlessOptions(), origin()), "/")).toEqual({ error: expect.stringMatching(/^That passkey could not sign you in/) });
    await database.db.update(users).set({ status: "active" }).where(eq(users.id, sam.id));

    await database.db.insert(identityProviders).values({ accountId: sam.accountId, slug: "acme", issuer: "https://idp.test", clientId: "x", clientSecretEncrypted: "x", emailDomains: ["acme.test"], ssoOnly: true });
    expect(await finishPasskeySignIn(samsKey.get(await passwordlessOptions(), origin()), "/")).toEqual({ error: expect.stringMatching(/single sign-on/) });
    await database.db.delete(identityProviders).where(eq(identityProviders.accountId, sam.accountId));

    // After "This wasn't me" nothing signs in until a new password is set: a passkey someone else added neither.
    await database.db.update(users).set({ passwordResetRequiredAt: new Date() }).where(eq(users.id, sam.id));
    expect(await finishPasskeySignIn(samsKey.get(await passwordlessOptions(), origin()), "/")).toEqual({ error: expect.stringMatching(/^Your password must be reset/) });
    await database.db.update(users).set({ passwordResetRequiredAt: null }).where(eq(users.id, sam.id));

    // A5: access that has ended.
    await database.db.update(users).set({ accessExpiresAt: new Date(Date.now() - 60_000) }).where(eq(users.id, sam.id));
    expect(await finishPasskeySignIn(samsKey.get(await passwordlessOptions(), origin()), "/")).toEqual({ error: expect.stringMatching(/^Your access to this account has expired/) });
    await database.db.update(users).set({ accessExpiresAt: null }).where(eq(users.id, sam.id));
    expect(signIn).not.toHaveBeenCalled();
  });
});

describe("a passkey as the second factor (B1)", () => {
  const pending = async (user: User) => {
    const token = await createSignInGrant(database.db, user.id, "second-factor");
    jar.set(SECOND_FACTOR_COOKIE, token);
    return token;
  };
  const secondFactorOptions = async () => {
    const started = await startPasskeySecondFactor();
    if (!started.ok) throw new Error(started.error);
    return started.options as PublicKeyCredentialRequestOptionsJSON;
  };

  it("after a right password, a person with only passkeys is asked for the second step", async () => {
    const check = await checkPassword(database.db, { email: "pat@acme.test", password: PASSWORD }, { ip: "203.0.113.7", userAgent: null });
    expect(check).toMatchObject({ ok: true, user: { twoFactor: true } });
  });

  it("asks for the person's own passkeys and opens the session with a verified one", async () => {
    await pending(pat);
    const options = await secondFactorOptions();
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([(await storedPasskey(pat)).credentialId]);
    await expect(verifyPasskeySecondFactor(patsKey.get(options, origin()), "/account")).rejects.toThrow("NEXT_REDIRECT");
    expect(await signedIn()).toBe(pat.id);
    expect(jar.has(SECOND_FACTOR_COOKIE)).toBe(false);
  });

  it("refuses someone else's passkey, a challenge of another sign-in, and a replay; each counts as a wrong attempt", async () => {
    const grant = await pending(pat);
    const failures = async () => (await database.db.select().from(signInGrants).where(eq(signInGrants.tokenHash, sha256(grant))))[0].failedAttempts;
    // Sam's passkey at Pat's second step (Sam signs whatever challenge he is shown).
    const options = await secondFactorOptions();
    const [samsCredential] = samsKey.credentials.keys();
    expect(await verifyPasskeySecondFactor(samsKey.get(options, origin(), { credentialId: samsCredential }), "/")).toEqual({ error: "That passkey was not accepted. Try again, or use a code." });
    expect(await failures()).toBe(1);

    // A challenge issued for one pending sign-in does not serve another, even of the same person.
    const otherOptions = await secondFactorOptions();
    const otherGrant = await pending(pat);
    expect(await verifyPasskeySecondFactor(patsKey.get(otherOptions, origin()), "/")).toMatchObject({ error: "That passkey was not accepted. Try again, or use a code." });
    jar.set(SECOND_FACTOR_COOKIE, grant);

    // A right assertion, then the same one again in a later sign-in.
    const right = patsKey.get(await secondFactorOptions(), origin());
    const token = jar.get(PASSKEY_CHALLENGE_COOKIE)!;
    await expect(verifyPasskeySecondFactor(right, "/")).rejects.toThrow("NEXT_REDIRECT");
    signIn.mockReset();
    await pending(pat);
    jar.set(PASSKEY_CHALLENGE_COOKIE, token);
    expect(await verifyPasskeySecondFactor(right, "/")).toMatchObject({ error: "That passkey was not accepted. Try again, or use a code." });
    expect(signIn).not.toHaveBeenCalled();
    expect(otherGrant).not.toBe(grant);
  });

  it("ends the pending sign-in after five wrong attempts: then even a right passkey is refused", async () => {
    await pending(sam);
    for (let i = 0; i < 5; i++) {
      await secondFactorOptions();
      expect(await verifyPasskeySecondFactor({ not: "an assertion" }, "/")).toMatchObject({ error: expect.any(String) });
    }
    expect(await startPasskeySecondFactor()).toMatchObject({ ok: false, expired: true });
    expect(signIn).not.toHaveBeenCalled();
  });
});
