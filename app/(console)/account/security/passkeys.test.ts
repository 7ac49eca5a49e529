import { and, desc, eq } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { findMemberPrincipal } from "@/db/queries/principals";
import { insertMembers } from "@/db/queries/users";
import { useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, emailOutbox, passkeys, users, webauthnChallenges, type User } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { toPrincipal } from "@/lib/auth/principal";
import { readBody } from "@/lib/email";
import { PASSKEY_CHALLENGE_COOKIE, relyingParty } from "@/lib/passkeys/ceremony";
import { SoftAuthenticator } from "@/lib/passkeys/soft-authenticator";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";

// Who is calling (their session, loaded from the database as the app does) and the
// browser's cookies; the rest is real: actions, WebAuthn verification, database, outbox.
const caller = { id: null as string | null, accountId: "", sessionId: "session-one" };
const jar = new Map<string, string>();
vi.mock("@/lib/auth/session", async () => {
  const { getDb } = await import("@/db/client");
  return {
    requireUser: async (options: { allowTwoFactorSetup?: boolean } = {}) => {
      const row = caller.id && (await findMemberPrincipal(await getDb(), caller.accountId, caller.id));
      if (!row) throw new Error("NEXT_REDIRECT /sign-in");
      const principal = toPrincipal(row, { kind: "session", sessionId: caller.sessionId });
      if (principal.twoFactorGate.state === "required" && !options.allowTwoFactorSetup) throw new Error("NEXT_REDIRECT /setup-2fa");
      return { ...principal, via: { kind: "session", sessionId: caller.sessionId }, sessionId: caller.sessionId };
    },
  };
});
vi.mock("@/lib/request", () => ({ requestContext: async () => ({ ip: "203.0.113.9", userAgent: "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { value: jar.get(name) } : undefined),
    set: (name: string, value: string) => jar.set(name, value),
    delete: (cookie: string | { name: string }) => jar.delete(typeof cookie === "string" ? cookie : cookie.name),
  }),
}));

const { finishAddingPasskey, removePasskey, renamePasskey, startAddingPasskey } = await import("./passkey-actions");
const { turnOffTotp, startTotpEnrolment, confirmTotpEnrolment } = await import("@/app/(console)/account/two-factor/actions");
const { removeMemberTwoFactor } = await import("@/lib/team/members");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
let pat: User;
let erin: User;
let admin: User;
const PASSWORD = "Demo-Password-2026!";
const origin = () => relyingParty().origin;

const as = (user: User, sessionId = "session-one") => Object.assign(caller, { id: user.id, accountId: user.accountId, sessionId });
const principalOf = async (user: User) => toPrincipal((await findMemberPrincipal(database.db, user.accountId, user.id))!, { kind: "lookup" });
const passkeysOf = (user: User) => database.db.select().from(passkeys).where(eq(passkeys.userId, user.id));
const audited = async (user: User, action: string) => database.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, user.id), eq(auditEvents.action, action)));
const notices = async (to: string) => (await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.kind, "security-notice")))).map((m) => m.subject);

/** Adds a passkey the way the Security page does: proof, options, the authenticator, then the answer. */
async function addPasskey(authenticator: SoftAuthenticator, name: string, proof: { password?: string } = { password: PASSWORD }) {
  const started = await startAddingPasskey({ name, ...proof });
  if (!started.ok) throw new Error(`not started: ${started.error}`);
  const response = authenticator.create(started.data.options, origin());
  return finishAddingPasskey({ name, response });
}

beforeAll(async () => {
  database = await useFreshDatabase();
  const passwordHash = await hashPassword(PASSWORD);
  [{ id: accountId }] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  [admin, pat, erin] = await insertMembers(database.db, [
    { accountId, email: "admin@acme.test", roles: ["admin"], status: "active", passwordHash },
    { accountId, email: "pat@acme.test", status: "active", passwordHash },
    { accountId, email: "erin@acme.test", status: "active", ssoSubject: "idp|erin" },
  ]);
});
afterAll(() => database.close());
beforeEach(() => jar.clear());

describe("adding a passkey (B1)", () => {
  const authenticator = new SoftAuthenticator();

  it("needs the password: none or a wrong one is refused (counted, audited) and no ceremony starts", async () => {
    as(pat);
    expect(await startAddingPasskey({ name: "Laptop" })).toMatchObject({ ok: false, fieldErrors: { password: "Enter your password." } });
    expect(await startAddingPasskey({ name: "Laptop", password: "Not-The-Password-1" })).toMatchObject({ ok: false, error: "That is not your current password." });
    expect(await startAddingPasskey({ name: " ", password: PASSWORD })).toMatchObject({ ok: false, fieldErrors: { name: expect.stringMatching(/^Name the passkey/) } });
    expect(jar.has(PASSKEY_CHALLENGE_COOKIE)).toBe(false);
    expect(await audited(pat, "passkey.add_failed")).toHaveLength(1);
  });

  it("asks for a discoverable credential with user verification, for this site, naming the person by an opaque handle", async () => {
    const started = await startAddingPasskey({ name: "Laptop", password: PASSWORD });
    expect(started.ok).toBe(true);
    const options = (started as { data: { options: PublicKeyCredentialCreationOptionsJSON } }).data.options;
    expect(options.rp).toEqual({ id: "roster.test", name: "Roster" });
    expect(options.user).toMatchObject({ name: "pat@acme.test", id: Buffer.from(pat.id.replace(/-/g, ""), "hex").toString("base64url") });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    // The browser holds only a token; the database only hashes (of the token and of the challenge).
    const token = jar.get(PASSKEY_CHALLENGE_COOKIE)!;
    const [row] = await database.db.select().from(webauthnChallenges).where(eq(webauthnChallenges.userId, pat.id));
    expect(row).toMatchObject({ ceremony: "registration" });
    expect([row.tokenHash, row.challengeHash]).not.toContain(token);
    expect(row.challengeHash).not.toBe(options.challenge);
  });

  it("stores a verified passkey with its name, emails the person and audits it; it now counts as 2FA", async () => {
    as(pat);
    expect((await principalOf(pat)).twoFactorEnabled).toBe(false);
    const added = await addPasskey(authenticator, "Work laptop");
    expect(added).toMatchObject({ ok: true, data: { name: "Work laptop" } });
    const [stored] = await passkeysOf(pat);
    expect(stored).toMatchObject({ name: "Work laptop", counter: 0, transports: ["internal"], deviceType: "singleDevice", lastUsedAt: null });
    expect(authenticator.credentials.has(stored.credentialId)).toBe(true);
    expect(stored.publicKey.length).toBeGreaterThan(60);
    expect(await notices("pat@acme.test")).toEqual(["A passkey was added to your Roster account"]);
    expect(await audited(pat, "passkey.added")).toMatchObject([{ details: { passkeyId: stored.id, name: "Work laptop" } }]);
    const principal = await principalOf(pat);
    expect(principal).toMatchObject({ twoFactorEnabled: true, hasPasskeys: true, totpEnabled: false });
  });

  it("spends a challenge once: the same answer again, or an answer after a refused one, adds nothing", async () => {
    const started = (await startAddingPasskey({ name: "Phone", password: PASSWORD })) as { ok: true; data: { options: PublicKeyCredentialCreationOptionsJSON } };
    const token = jar.get(PASSKEY_CHALLENGE_COOKIE)!;
    // An answer from another origin is refused, and the challenge is gone with it.
    const phone = new SoftAuthenticator();
    const wrongOrigin = phone.create(started.data.options, "https://evil.example");
    expect(await finishAddingPasskey({ name: "Phone", response: wrongOrigin })).toMatchObject({ ok: false, error: expect.stringMatching(/could not be verified/) });
    jar.set(PASSKEY_CHALLENGE_COOKIE, token);
    expect(await finishAddingPasskey({ name: "Phone", response: phone.create(started.data.options, origin()) })).toMatchObject({
      ok: false,
      error: "Adding the passkey took too long or was already finished. Start again.",
    });
    expect(await passkeysOf(pat)).toHaveLength(1);
  });

  it("binds the challenge to the session that proved it is the person: another session of theirs cannot use it", async () => {
    const started = (await startAddingPasskey({ name: "Phone", password: PASSWORD })) as { ok: true; data: { options: PublicKeyCredentialCreationOptionsJSON } };
    as(pat, "session-two");
    expect(await finishAddingPasskey({ name: "Phone", response: new SoftAuthenticator().create(started.data.options, origin()) })).toMatchObject({ ok: false });
    as(pat);
    expect(await passkeysOf(pat)).toHaveLength(1);
  });

  it("refuses an answer without user verification, or for another RP ID", async () => {
    for (const misbehave of [{ userVerified: false }, { rpId: "evil.example" }]) {
      const started = (await startAddingPasskey({ name: "Key", password: PASSWORD })) as { ok: true; data: { options: PublicKeyCredentialCreationOptionsJSON } };
      const response = new SoftAuthenticator().create(started.data.options, origin(), misbehave);
      expect(await finishAddingPasskey({ name: "Key", response })).toMatchObject({ ok: false, error: expect.stringMatching(/could not be verified/) });
    }
    expect(await passkeysOf(pat)).toHaveLength(1);
  });

  it("an SSO member, who has no password, confirms with an emailed code instead", async () => {
    as(erin);
    const asked = await startAddingPasskey({ name: "Erin's key" });
    expect(asked).toMatchObject({ ok: false, stepUp: { action: "add a passkey", sentTo: "e•••@acme.test" } });
    const [mail] = await database.db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.toAddress, "erin@acme.test"), eq(emailOutbox.kind, "step-up-code")))
      .orderBy(desc(emailOutbox.createdAt))
      .limit(1);
    const code = readBody(mail)!.text.match(/code is (\d{6})/)![1];
    const started = await startAddingPasskey({ name: "Erin's key" }, { challengeId: asked.stepUp!.challengeId, code });
    expect(started.ok).toBe(true);
    const response = new SoftAuthenticator().create((started as { data: { options: PublicKeyCredentialCreationOptionsJSON } }).data.options, origin());
    expect(await finishAddingPasskey({ name: "Erin's key", response })).toMatchObject({ ok: true });
    expect(await passkeysOf(erin)).toHaveLength(1);
  });
});

describe("renaming and removing (B1)", () => {
  it("renames one's own passkey (audited); another person's passkey reads as missing", async () => {
    as(pat);
    const [mine] = await passkeysOf(pat);
    expect(await renamePasskey({ passkeyId: mine.id, name: "MacBook" })).toMatchObject({ ok: true, data: { name: "MacBook" } });
    expect(await audited(pat, "passkey.renamed")).toMatchObject([{ details: { from: "Work laptop", to: "MacBook" } }]);
    const [erins] = await passkeysOf(erin);
    expect(await renamePasskey({ passkeyId: erins.id, name: "Mine now" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await removePasskey({ passkeyId: erins.id, password: PASSWORD })).toMatchObject({ ok: false, code: "not_found" });
    expect(await passkeysOf(erin)).toMatchObject([{ name: "Erin's key" }]);
  });

  it("under Enforce 2FA the last second factor stays; with an authenticator app beside it, the passkey can go", async () => {
    await database.db.update(accounts).set({ enforceTwoFactor: true, twoFactorEnforcedSince: new Date() }).where(eq(accounts.id, accountId));
    as(pat);
    // A passkey is 2FA: enforcement does not send pat to "Setup 2FA Required".
    expect((await principalOf(pat)).twoFactorGate).toEqual({ state: "none" });
    const [mine] = await passkeysOf(pat);
    expect(await removePasskey({ passkeyId: mine.id })).toMatchObject({ ok: false, fieldErrors: { password: "Enter your password." } });
    expect(await removePasskey({ passkeyId: mine.id, password: PASSWORD })).toMatchObject({ ok: false, error: expect.stringMatching(/before removing your last passkey/) });
    expect(await passkeysOf(pat)).toHaveLength(1);

    const started = (await startTotpEnrolment({ password: PASSWORD })) as { ok: true; data: { secret: string } };
    expect((await confirmTotpEnrolment({ code: await generate({ secret: started.data.secret }) })).ok).toBe(true);
    expect(await removePasskey({ passkeyId: mine.id, password: PASSWORD })).toEqual({ ok: true, data: { id: mine.id, name: "MacBook" } });
    expect(await passkeysOf(pat)).toHaveLength(0);
    expect(await notices("pat@acme.test")).toContain("A passkey was removed from your Roster account");
    expect(await audited(pat, "passkey.removed")).toMatchObject([{ details: { name: "MacBook" } }]);
    await database.db.update(accounts).set({ enforceTwoFactor: false }).where(eq(accounts.id, accountId));
  });

  it("turning the authenticator app off while passkeys remain keeps 2FA on, even under enforcement, and says so", async () => {
    as(pat);
    await addPasskey(new SoftAuthenticator(), "Phone");
    await database.db.update(accounts).set({ enforceTwoFactor: true }).where(eq(accounts.id, accountId));
    const [{ totpSecretEncrypted }] = await database.db.select().from(users).where(eq(users.id, pat.id));
    const { decrypt } = await import("@/lib/crypto");
    const code = await generate({ secret: decrypt(totpSecretEncrypted!), epoch: Math.floor(Date.now() / 1000) + 30 });
    expect(await turnOffTotp({ code, password: PASSWORD })).toEqual({ ok: true, data: {} });
    expect(await principalOf(pat)).toMatchObject({ totpEnabled: false, twoFactorEnabled: true, twoFactorGate: { state: "none" } });
    expect(await notices("pat@acme.test")).toContain("The authenticator app was removed from your Roster account");
    await database.db.update(accounts).set({ enforceTwoFactor: false }).where(eq(accounts.id, accountId));
  });

  it("an administrator's Remove 2FA (T5) takes the member's passkeys too", async () => {
    const actor = { principal: await principalOf(admin), request: { ip: null, userAgent: null } };
    expect(await passkeysOf(pat)).toHaveLength(1);
    await database.db.transaction((tx) => removeMemberTwoFactor(tx, actor, { userId: pat.id }));
    expect(await passkeysOf(pat)).toHaveLength(0);
    expect((await principalOf(pat)).twoFactorEnabled).toBe(false);
  });
});
