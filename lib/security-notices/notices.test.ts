import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers } from "@/db/queries/users";
import { useFreshDatabase } from "@/db/testing";
import { accounts, emailOutbox, thisWasntMeLinks, type User } from "@/db/schema";
import { readBody } from "@/lib/email";
import { WORKSTATION_DOMAIN } from "@/lib/team/workstation-address";
import { listOwnSecurityNotices, SECURITY_NOTICES, sendSecurityNotice } from "./notices";
import { previewThisWasntMe } from "./this-wasnt-me";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let sam: User, sue: User, dan: User, otto: User;

const noticesTo = (user: User) =>
  database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.kind, "security-notice"))).orderBy(desc(emailOutbox.createdAt));
const linkOf = (text: string) => text.match(/\/this-wasnt-me\/([A-Za-z0-9_-]{59})\n/)?.[1];

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme, globex] = await database.db.insert(accounts).values([{ name: "Acme Widgets" }, { name: "Globex" }]).returning();
  [sam, sue, dan] = await insertMembers(database.db, [
    { accountId: acme.id, email: "sam@acme.test", name: "Sam", status: "active", passwordHash: "x" },
    { accountId: acme.id, email: "sue@acme.test", name: "Sue", status: "active", ssoSubject: "idp|sue" },
    { accountId: acme.id, email: "dan@acme.test", name: "Dan", status: "disabled", passwordHash: "x" },
  ]);
  [otto] = await insertMembers(database.db, [{ accountId: globex.id, email: "otto@globex.test", name: "Otto", status: "active", passwordHash: "x" }]);
});
afterAll(() => database.close());

describe("sendSecurityNotice (O4)", () => {
  it("queues the notice in the caller's transaction: rolled back, there is no email and no link", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await sendSecurityNotice(tx, sam, "two-factor-enabled");
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await noticesTo(sam)).toEqual([]);
    expect(await database.db.select().from(thisWasntMeLinks).where(eq(thisWasntMeLinks.userId, sam.id))).toEqual([]);
  });

  it("writes to the person as stored, names their account, and carries a working This wasn't me link", async () => {
    const id = await database.db.transaction((tx) => sendSecurityNotice(tx, { id: sam.id }, "password-changed"));
    const [mail] = await noticesTo(sam);
    expect(mail).toMatchObject({ id, accountId: sam.accountId, userId: sam.id, subject: "Your Roster password was changed" });
    const text = readBody(mail)!.text;
    expect(text).toContain("Your password was changed");
    expect(text).toContain("Account: Acme Widgets (sam@acme.test)");
    expect(text).toContain("Once you confirm, it signs you out everywhere, revokes your API keys and has you set a new password:");
    expect(text).toContain("It works once and expires in 7 days.");
    expect(text.endsWith("— Roster")).toBe(true);
    expect(await previewThisWasntMe(database.db, linkOf(text)!)).toMatchObject({ state: "valid", email: sam.email, accountName: "Acme Widgets", resetsPassword: true });
    const [link] = await database.db.select().from(thisWasntMeLinks).where(eq(thisWasntMeLinks.userId, sam.id));
    expect(link.notice).toBe("password-changed");
    // Only the verifier's hash is kept.
    expect(link.verifierHash).not.toContain(linkOf(text)!.slice(16));
  });

  it("tells a person without a password here (SSO) what the link does for them", async () => {
    await database.db.transaction((tx) => sendSecurityNotice(tx, sue, "sessions-ended-by-admin"));
    const text = readBody((await noticesTo(sue))[0])!.text;
    expect(text).toContain("signs you out everywhere and revokes your API keys (change your password with your identity provider)");
    expect(text).not.toContain("set a new password");
  });

  it("gives a disabled person the news without a link they could not use, and a shared workstation nothing", async () => {
    await database.db.transaction((tx) => sendSecurityNotice(tx, dan, "two-factor-removed-by-admin"));
    const text = readBody((await noticesTo(dan))[0])!.text;
    expect(text).toContain("Account: Acme Widgets (dan@acme.test)");
    expect(linkOf(text)).toBeUndefined();

    const [desk] = await insertMembers(database.db, [{ accountId: sam.accountId, email: `front-desk@${WORKSTATION_DOMAIN}`, kind: "workstation", status: "active", passwordHash: "x" }]);
    expect(await database.db.transaction((tx) => sendSecurityNotice(tx, desk, "new-device", { browser: "Chrome 140", os: "Windows", ip: "203.0.113.5", at: new Date() }))).toBeNull();
    expect(await database.db.select().from(thisWasntMeLinks).where(eq(thisWasntMeLinks.userId, desk.id))).toEqual([]);
  });

  it("words every kind with its details and no secret", async () => {
    const at = new Date("2026-11-30T14:05:00Z");
    // One transaction each: the outbox orders by its rows' time, which is a transaction's start.
    await database.db.transaction((tx) => sendSecurityNotice(tx, otto, "api-key-created", { name: "CI", prefix: "rst_abcdefgh", scopes: ["members:read"], createdAt: at, expiresAt: null }));
    await database.db.transaction((tx) => sendSecurityNotice(tx, otto, "new-device", { browser: "Firefox 133", os: "Windows 10", ip: "198.51.100.7", at }));
    await database.db.transaction((tx) => sendSecurityNotice(tx, otto, "backup-codes-regenerated"));
    const [codes, device, key] = (await noticesTo(otto)).map((mail) => ({ subject: mail.subject, text: readBody(mail)!.text }));
    expect(key.text).toContain("Key: rst_abcdefgh…");
    expect(device.subject).toBe("New sign-in to your Roster account");
    expect(device.text).toContain("Browser: Firefox 133 on Windows 10\nAddress: 198.51.100.7\nWhen: 30 Nov 2026, 14:05 UTC");
    expect(codes.subject).toBe("New backup codes were made for your Roster account");
    expect(codes.text).toContain("The codes themselves are never emailed.");
    for (const mail of [codes, device, key]) expect(mail.text).toContain("Account: Globex (otto@globex.test)");
    // Every kind renders (a template that throws would lose its notice).
    expect(Object.keys(SECURITY_NOTICES).sort()).toEqual(
      [
        "api-key-created",
        "authenticator-app-removed",
        "backup-codes-regenerated",
        "new-device",
        "passkey-added",
        "passkey-removed",
        "password-changed",
        "sessions-ended-by-admin",
        "two-factor-disabled",
        "two-factor-enabled",
        "two-factor-removed-by-admin",
      ].sort(),
    );
  });
});

describe("the notices a person sees on Personal Account → Security (O4)", () => {
  it("lists their own notices only, newest first, with subject, status and time", async () => {
    await database.db.transaction((tx) => sendSecurityNotice(tx, sam, "two-factor-enabled"));
    const own = await listOwnSecurityNotices(database.db, sam);
    expect(own.map((n) => n.subject)).toEqual(["Two-factor authentication was turned on for your Roster account", "Your Roster password was changed"]);
    // No email provider in these tests: the messages stay in the outbox for the Mailbox.
    expect(own.every((n) => n.status === "In the Mailbox" && n.at instanceof Date)).toBe(true);
    expect(await listOwnSecurityNotices(database.db, sue)).toHaveLength(1);
    // Another account's person with Sam's ID reads nothing (the query is scoped by account too).
    expect(await listOwnSecurityNotices(database.db, { id: sam.id, accountId: otto.accountId })).toEqual([]);
    expect(await listOwnSecurityNotices(database.db, sam, 1)).toHaveLength(1);
  });
});
