import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/db/queries/sessions";
import { insertMembers } from "@/db/queries/users";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, emailOutbox, sessions, signInGrants, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { createSignInGrant } from "@/lib/auth/sign-in-grants";
import { sha256 } from "@/lib/crypto";
import { readBody } from "@/lib/email";
import { checkEndMemberSessions, endMemberSessions, endOtherOwnSessions, endOwnSession, listMemberSessions, listOwnSessions, sessionHandle } from ".";
import { describeUserAgent } from "./user-agent";

const CHROME_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const FIREFOX_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let ada: User, rita: User, sam: User, tia: User, otto: User;
const request = { ip: "203.0.113.5", userAgent: "vitest" };
const inTx = <T>(work: (tx: Parameters<Parameters<typeof database.db.transaction>[0]>[0]) => Promise<T>) => database.db.transaction(work);
const refusalOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    if (error instanceof ActionRefusal) return { code: error.code, message: error.message };
    throw error;
  }
  return null;
};
const signIn = (user: User, userAgent: string | null, ip = "198.51.100.1") => createSession(database.db, { userId: user.id, maxAgeSeconds: 3600, ip, userAgent });
/** The principal of one of the user's sessions (as lib/auth/session loads it). */
const on = (user: User, sessionId: string) => ({ principal: currentUserOf(user, { sessionId }), request });
const sessionCount = async (user: User) => (await database.db.select().from(sessions).where(eq(sessions.userId, user.id))).length;
const auditOf = (action: string, actorId: string) => database.db.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.actorId, actorId)));

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme, globex] = await database.db.insert(accounts).values([{ name: "Acme" }, { name: "Globex" }]).returning();
  [ada, rita, sam, tia, otto] = await insertMembers(database.db, [
    { accountId: acme.id, email: "ada@acme.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId: acme.id, email: "rita@acme.test", name: "Rita", status: "active", passwordHash: "x", roles: ["restricted_admin"] },
    { accountId: acme.id, email: "sam@acme.test", name: "Sam", status: "active", passwordHash: "x", roles: ["member"] },
    { accountId: acme.id, email: "tia@acme.test", name: "Tia", status: "active", passwordHash: "x", roles: ["member"] },
    { accountId: globex.id, email: "otto@globex.test", name: "Otto", status: "active", passwordHash: "x", roles: ["member"] },
  ]);
});
afterAll(() => database.close());

describe("reading a user agent (B2)", () => {
  it("names the browser and the system with bowser, and an unknown one as such", () => {
    expect(describeUserAgent(CHROME_MAC)).toEqual({ browser: "Chrome 140", os: "macOS Catalina" });
    expect(describeUserAgent(FIREFOX_WIN)).toEqual({ browser: "Firefox 133", os: "Windows 10" });
    expect(describeUserAgent(SAFARI_IPHONE)).toMatchObject({ browser: "Safari 17", os: "iOS" });
    expect(describeUserAgent(null)).toEqual({ browser: "Unknown browser", os: "Unknown system" });
    expect(describeUserAgent("  ")).toEqual({ browser: "Unknown browser", os: "Unknown system" });
  });
});

describe("one's own sessions (B2)", () => {
  it("lists them with browser, system, address and times, this device marked, and never the session's ID or hash", async () => {
    const laptop = await signIn(sam, CHROME_MAC, "198.51.100.7");
    const phone = await signIn(sam, SAFARI_IPHONE, "198.51.100.8");
    await signIn(tia, FIREFOX_WIN);
    const listed = await listOwnSessions(database.db, on(sam, laptop).principal);
    expect(listed).toHaveLength(2);
    expect(listed.find((s) => s.current)).toMatchObject({ browser: "Chrome 140", os: "macOS Catalina", ip: "198.51.100.7" });
    expect(listed.find((s) => !s.current)).toMatchObject({ browser: "Safari 17", ip: "198.51.100.8" });
    const sent = JSON.stringify(listed);
    for (const secret of [laptop, phone, sha256(laptop), sha256(phone)]) expect(sent).not.toContain(secret);
    expect(listed.map((s) => s.handle)).toContain(sessionHandle(sha256(phone)));
  });

  it("ends one other session, audited; that session is gone and the current one stays", async () => {
    const laptop = await signIn(tia, CHROME_MAC);
    const phone = await signIn(tia, SAFARI_IPHONE);
    const before = await sessionCount(tia);
    const ended = await inTx((tx) => endOwnSession(tx, on(tia, laptop), { handle: sessionHandle(sha256(phone)) }));
    expect(ended).toEqual({ browser: "Safari 17", os: "iOS" });
    expect(await sessionCount(tia)).toBe(before - 1);
    const left = await database.db.select().from(sessions).where(eq(sessions.userId, tia.id));
    expect(left.map((s) => s.idHash)).toContain(sha256(laptop));
    expect(left.map((s) => s.idHash)).not.toContain(sha256(phone));
    const [audit] = await auditOf("session.ended", tia.id);
    expect(audit).toMatchObject({ targetId: tia.id, ip: request.ip });
    expect(audit.details).toMatchObject({ browser: "Safari 17", os: "iOS" });
  });

  it("refuses a handle of someone else's session, a made-up one and this device's own, ending nothing", async () => {
    const mine = await signIn(sam, CHROME_MAC);
    const theirs = await signIn(tia, CHROME_MAC);
    const foreign = await signIn(otto, CHROME_MAC);
    const samBefore = await sessionCount(sam);
    for (const handle of [sessionHandle(sha256(theirs)), sessionHandle(sha256(foreign)), sha256(theirs), "0".repeat(64)]) {
      expect(await refusalOf(inTx((tx) => endOwnSession(tx, on(sam, mine), { handle })))).toMatchObject({ code: "not_found" });
    }
    expect(await refusalOf(inTx((tx) => endOwnSession(tx, on(sam, mine), { handle: sessionHandle(sha256(mine)) })))).toMatchObject({ code: "conflict" });
    expect(await sessionCount(sam)).toBe(samBefore);
    expect(await database.db.select().from(sessions).where(eq(sessions.idHash, sha256(theirs)))).toHaveLength(1);
    expect(await database.db.select().from(sessions).where(eq(sessions.idHash, sha256(foreign)))).toHaveLength(1);
  });

  it("ends every other session at once, audited with how many, keeping this one; others' sessions untouched", async () => {
    const tiaSessions = await sessionCount(tia);
    const keep = await signIn(sam, FIREFOX_WIN);
    await signIn(sam, SAFARI_IPHONE);
    const others = (await sessionCount(sam)) - 1;
    const result = await inTx((tx) => endOtherOwnSessions(tx, on(sam, keep)));
    expect(result).toEqual({ ended: others });
    const left = await database.db.select().from(sessions).where(eq(sessions.userId, sam.id));
    expect(left.map((s) => s.idHash)).toEqual([sha256(keep)]);
    expect(await sessionCount(tia)).toBe(tiaSessions);
    const [audit] = await auditOf("session.ended_others", sam.id);
    expect(audit.details).toMatchObject({ ended: others });
  });
});

describe("an administrator ending a member's sessions (B2)", () => {
  it("lists a member's sessions without marking any as this device, and another account's member reads as not found", async () => {
    await signIn(tia, FIREFOX_WIN);
    const listed = await listMemberSessions(database.db, currentUserOf(ada), tia.id);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((s) => !s.current)).toBe(true);
    expect(await refusalOf(listMemberSessions(database.db, currentUserOf(ada), otto.id))).toMatchObject({ code: "not_found" });
  });

  it("ends every session and any sign-in waiting at its second step, audited, and the member is emailed without a secret", async () => {
    const session = await signIn(tia, CHROME_MAC);
    await createSignInGrant(database.db, tia.id, "second-factor");
    const before = await sessionCount(tia);
    const result = await inTx((tx) => endMemberSessions(tx, { principal: currentUserOf(ada), request }, { userId: tia.id }));
    expect(result).toEqual({ email: tia.email, ended: before });
    expect(await sessionCount(tia)).toBe(0);
    expect(await database.db.select().from(signInGrants).where(eq(signInGrants.userId, tia.id))).toHaveLength(0);
    const [audit] = await auditOf("member.sessions_ended", ada.id);
    expect(audit).toMatchObject({ targetType: "user", targetId: tia.id });
    expect(audit.details).toMatchObject({ email: tia.email, ended: before });
    const [mail] = await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, tia.email), eq(emailOutbox.kind, "security-notice")));
    const body = readBody(mail)!.text;
    expect(mail.subject).toMatch(/administrator signed you out/i);
    expect(body).toMatch(/ended every signed-in session/);
    expect(body).not.toContain(session);
    expect(body).not.toContain(sha256(session));
  });

  it("refuses one's own sessions, someone the admin does not outrank, and another account's member", async () => {
    await signIn(ada, CHROME_MAC);
    const adaSessions = await sessionCount(ada);
    expect(await refusalOf(checkEndMemberSessions(database.db, currentUserOf(ada), ada.id))).toMatchObject({ code: "conflict" });
    expect(await refusalOf(inTx((tx) => endMemberSessions(tx, { principal: currentUserOf(ada), request }, { userId: ada.id })))).toMatchObject({ code: "conflict" });
    // A Restricted administrator does not manage an Admin.
    expect(await refusalOf(checkEndMemberSessions(database.db, currentUserOf(rita), ada.id))).toMatchObject({ code: "forbidden" });
    expect(await refusalOf(inTx((tx) => endMemberSessions(tx, { principal: currentUserOf(rita), request }, { userId: ada.id })))).toMatchObject({ code: "forbidden" });
    expect(await sessionCount(ada)).toBe(adaSessions);
    await signIn(otto, FIREFOX_WIN);
    const ottoSessions = await sessionCount(otto);
    expect(await refusalOf(inTx((tx) => endMemberSessions(tx, { principal: currentUserOf(ada), request }, { userId: otto.id })))).toMatchObject({ code: "not_found" });
    expect(await sessionCount(otto)).toBe(ottoSessions);
  });

  it("lets a Restricted administrator end a member's sessions", async () => {
    await signIn(sam, CHROME_MAC);
    const result = await inTx((tx) => endMemberSessions(tx, { principal: currentUserOf(rita), request }, { userId: sam.id }));
    expect(result.ended).toBeGreaterThan(0);
    expect(await sessionCount(sam)).toBe(0);
  });
});
