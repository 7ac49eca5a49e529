import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { findSessionPrincipal } from "@/db/queries/principals";
import { createSession } from "@/db/queries/sessions";
import { insertMembers } from "@/db/queries/users";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { insertPasskey } from "@/db/queries/passkeys";
import { accounts, apiKeys, auditEvents, emailOutbox, passkeys, signInGrants, thisWasntMeLinks, users, type User } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys";
import { checkPassword, INVALID_CREDENTIALS, RESET_REQUIRED } from "@/lib/auth/credentials";
import { hashPassword } from "@/lib/auth/password";
import { resetPasswordWithLink } from "@/lib/auth/password-reset";
import { createSignInGrant } from "@/lib/auth/sign-in-grants";
import { safeEqual, sha256 } from "@/lib/crypto";
import { readBody } from "@/lib/email";
import { issueThisWasntMeLink, lookUpThisWasntMeLink } from "./links";
import { confirmThisWasntMe, previewThisWasntMe } from "./this-wasnt-me";

// The verifier must be compared in constant time: watch the comparison the links use.
vi.mock("@/lib/crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/crypto")>();
  return { ...actual, safeEqual: vi.fn(actual.safeEqual) };
});

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let sam: User, sue: User, tom: User;
const PASSWORD = "Tidal-Orbit-4821";
const context = { ip: "203.0.113.9", userAgent: "vitest" };
const tokenOf = (url: string) => url.split("/this-wasnt-me/")[1];
const newLink = async (user: User, notice = "new-device") => tokenOf(await database.db.transaction((tx) => issueThisWasntMeLink(tx, user.id, notice)));
const confirm = (token: string) => database.db.transaction((tx) => confirmThisWasntMe(tx, token, context));
const latestEmail = async (to: string, kind: string) => {
  const [row] = await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.kind, kind))).orderBy(desc(emailOutbox.createdAt)).limit(1);
  return row ? readBody(row)!.text : null;
};
const sessionOf = (user: User) => createSession(database.db, { userId: user.id, maxAgeSeconds: 3600, ip: null, userAgent: null });

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  const passwordHash = await hashPassword(PASSWORD);
  [sam, sue, tom] = await insertMembers(database.db, [
    { accountId: acme.id, email: "sam@acme.test", name: "Sam", status: "active", passwordHash, roles: ["admin"] },
    { accountId: acme.id, email: "sue@acme.test", name: "Sue", status: "active", ssoSubject: "idp|sue" },
    { accountId: acme.id, email: "tom@acme.test", name: "Tom", status: "active", passwordHash },
  ]);
});
afterAll(() => database.close());

describe("This wasn't me links (O4)", () => {
  it("finds a link by its selector and compares its verifier's hash in constant time", async () => {
    const token = await newLink(tom);
    vi.mocked(safeEqual).mockClear();
    expect(await lookUpThisWasntMeLink(database.db, token)).toMatchObject({ state: "valid", user: { id: tom.id } });
    const [row] = await database.db.select().from(thisWasntMeLinks).where(eq(thisWasntMeLinks.selector, token.slice(0, 16)));
    expect(safeEqual).toHaveBeenCalledWith(row.verifierHash, sha256(token.slice(16)));
  });

  it("refuses a wrong token: a wrong verifier behind a real selector, a made-up one, a malformed one", async () => {
    const token = await newLink(tom);
    const wrongVerifier = token.slice(0, 16) + (token[16] === "A" ? "B" : "A") + token.slice(17);
    expect(await lookUpThisWasntMeLink(database.db, wrongVerifier)).toEqual({ state: "invalid" });
    expect(await confirm(wrongVerifier)).toEqual({ done: false, state: "invalid" });
    expect(await lookUpThisWasntMeLink(database.db, "A".repeat(59))).toEqual({ state: "invalid" });
    for (const malformed of ["", "../../x", token.slice(0, 58), `${token}A`, token.replace(/.$/, "!")]) {
      expect(await lookUpThisWasntMeLink(database.db, malformed)).toEqual({ state: "invalid" });
    }
    // Nothing happened to Tom.
    expect((await database.db.select().from(users).where(eq(users.id, tom.id)))[0].passwordResetRequiredAt).toBeNull();
  });

  it("refuses an expired link, and does nothing with it", async () => {
    const token = await newLink(tom);
    const session = await sessionOf(tom);
    await database.db.update(thisWasntMeLinks).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(thisWasntMeLinks.selector, token.slice(0, 16)));
    expect(await previewThisWasntMe(database.db, token)).toEqual({ state: "expired" });
    expect(await confirm(token)).toEqual({ done: false, state: "expired" });
    expect(await findSessionPrincipal(database.db, session, { idleMinutes: 60 })).not.toBeNull();
  });

  it("reading a link (the page a GET shows) changes nothing", async () => {
    const token = await newLink(tom);
    const session = await sessionOf(tom);
    expect(await previewThisWasntMe(database.db, token)).toEqual({ state: "valid", email: tom.email, accountName: "Acme", resetsPassword: true, ssoManaged: false, apiKeys: 0, passkeys: 0 });
    expect(await previewThisWasntMe(database.db, token)).toMatchObject({ state: "valid" });
    expect(await findSessionPrincipal(database.db, session, { idleMinutes: 60 })).not.toBeNull();
  });
});

describe("confirming This wasn't me (O4)", () => {
  it("ends every session and waiting sign-in, revokes API keys, requires a new password, emails a reset link and audits — once", async () => {
    const sessions = [await sessionOf(sam), await sessionOf(sam)];
    await createSignInGrant(database.db, sam.id, "second-factor");
    await database.db.transaction((tx) => createApiKey(tx, currentUserOf(sam), { name: "CI", expiresInDays: null, scopes: ["members:read"] }));
    const token = await newLink(sam, "new-device");
    const other = await newLink(sam, "step-up-code");
    expect(await previewThisWasntMe(database.db, token)).toMatchObject({ state: "valid", apiKeys: 1 });

    expect(await confirm(token)).toEqual({ done: true, email: sam.email, passwordReset: true, ssoManaged: false, sessionsEnded: 2, apiKeysRevoked: 1, passkeysRemoved: 0 });
    for (const session of sessions) expect(await findSessionPrincipal(database.db, session, { idleMinutes: 60 })).toBeNull();
    expect(await database.db.select().from(signInGrants).where(eq(signInGrants.userId, sam.id))).toEqual([]);
    expect((await database.db.select().from(apiKeys).where(eq(apiKeys.userId, sam.id))).every((key) => key.revokedAt !== null)).toBe(true);
    const [audit] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "security.this_wasnt_me"), eq(auditEvents.actorId, sam.id)));
    expect(audit).toMatchObject({ accountId: sam.accountId, targetType: "user", targetId: sam.id, ip: context.ip });
    expect(audit.details).toEqual({ notice: "new-device", sessionsEnded: 2, apiKeysRevoked: 1, passkeysRemoved: 0, passwordResetRequired: true });

    // Single use, and one confirmation spends every link of the person.
    expect(await confirm(token)).toEqual({ done: false, state: "used" });
    expect(await previewThisWasntMe(database.db, other)).toEqual({ state: "used" });

    // The old password opens nothing, and says what to do — a wrong one still gets the usual answer.
    expect(await checkPassword(database.db, { email: sam.email, password: PASSWORD }, context)).toEqual({ ok: false, reason: "invalid", error: RESET_REQUIRED });
    expect(await checkPassword(database.db, { email: sam.email, password: "Wrong-Password-1!" }, context)).toMatchObject({ ok: false, error: INVALID_CREDENTIALS });

    // The reset link emailed says why, and setting a new password lets Sam in again.
    const reset = (await latestEmail(sam.email, "password-reset"))!;
    expect(reset).toContain(`You said "This wasn't me": every session of yours was signed out, and your old password no longer signs you in.`);
    const resetToken = reset.match(/reset-password\/([A-Za-z0-9_-]{43})/)![1];
    expect(await database.db.transaction((tx) => resetPasswordWithLink(tx, { token: resetToken, password: "Brand-New-Orbit-77" }, context))).toEqual({ done: true });
    expect(await checkPassword(database.db, { email: sam.email, password: "Brand-New-Orbit-77" }, context)).toMatchObject({ ok: true });
  });

  it("for a person without a password here (SSO): ends sessions only, no reset", async () => {
    const session = await sessionOf(sue);
    const token = await newLink(sue, "sessions-ended-by-admin");
    expect(await previewThisWasntMe(database.db, token)).toMatchObject({ state: "valid", resetsPassword: false, ssoManaged: true });
    expect(await confirm(token)).toEqual({ done: true, email: sue.email, passwordReset: false, ssoManaged: true, sessionsEnded: 1, apiKeysRevoked: 0, passkeysRemoved: 0 });
    expect(await findSessionPrincipal(database.db, session, { idleMinutes: 60 })).toBeNull();
    expect(await latestEmail(sue.email, "password-reset")).toBeNull();
    expect((await database.db.select().from(users).where(eq(users.id, sue.id)))[0].passwordResetRequiredAt).toBeNull();
  });

  it("removes the passkeys added since the email was sent, and keeps the older ones", async () => {
    const credential = (name: string) => ({ userId: tom.id, credentialId: `cred-${name}`, publicKey: Buffer.from(name), counter: 0, transports: [], aaguid: "00000000-0000-0000-0000-000000000000", deviceType: "multiDevice" as const, backedUp: true, name });
    await database.db.insert(passkeys).values({ ...credential("Tom's laptop"), createdAt: new Date(Date.now() - 86_400_000) });
    // As registration does: the passkey and its notice's link in one transaction.
    const token = tokenOf(
      await database.db.transaction(async (tx) => {
        await insertPasskey(tx, credential("Not Tom's"));
        return issueThisWasntMeLink(tx, tom.id, "passkey-added");
      }),
    );
    expect(await previewThisWasntMe(database.db, token)).toMatchObject({ state: "valid", passkeys: 1 });
    expect(await confirm(token)).toMatchObject({ done: true, passkeysRemoved: 1 });
    const left = await database.db.select({ name: passkeys.name }).from(passkeys).where(eq(passkeys.userId, tom.id));
    expect(left).toEqual([{ name: "Tom's laptop" }]);
    await database.db.update(users).set({ passwordResetRequiredAt: null }).where(eq(users.id, tom.id));
  });

  it("a disabled person's link is not valid", async () => {
    const token = await newLink(tom);
    await database.db.update(users).set({ status: "disabled" }).where(eq(users.id, tom.id));
    expect(await confirm(token)).toEqual({ done: false, state: "invalid" });
    await database.db.update(users).set({ status: "active" }).where(eq(users.id, tom.id));
  });
});
