import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { insertSubscription, listApplications } from "@/db/queries/apps";
import { listMembers } from "@/db/queries/members";
import { findApiKeyPrincipal, findMemberPrincipal, findSessionPrincipal, sessionAccessExpired } from "@/db/queries/principals";
import { createSession } from "@/db/queries/sessions";
import { insertMembers } from "@/db/queries/users";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, roleGrants, users, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { createApiKey } from "@/lib/api-keys";
import { applicationAccessOf } from "@/lib/apps/access";
import { checkPassword, INVALID_CREDENTIALS } from "@/lib/auth/credentials";
import { hashPassword } from "@/lib/auth/password";
import { toPrincipal } from "@/lib/auth/principal";
import { setClockForTests } from "@/lib/clock";
import { setMemberRoles } from "@/lib/team/roles";
import { KEEP_AN_ADMIN, setAccessExpiry } from "./access";
import { ACCESS_EXPIRED } from "./validate";

// A5 in the principal's query and the expiry operations, on an injected clock (no sleeps).
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let ada: User, rita: User, sam: User, tom: User, accountId: string;
const request = { ip: "203.0.113.5", userAgent: "vitest" };
const as = (user: User) => ({ principal: currentUserOf(user), request });
const T0 = new Date("2026-12-01T10:00:00Z");
const at = (iso: string) => new Date(iso);
const refusalOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    if (error instanceof ActionRefusal) return { code: error.code, message: error.message };
    throw error;
  }
  return null;
};

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Expiry Inc" }).returning();
  accountId = account.id;
  [ada, rita, sam, tom] = await insertMembers(database.db, [
    { accountId, email: "ada@expiry.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId, email: "rita@expiry.test", name: "Rita", status: "active", passwordHash: "x", roles: ["restricted_admin"] },
    { accountId, email: "sam@expiry.test", name: "Sam", status: "active", passwordHash: "x", roles: ["member"] },
    { accountId, email: "tom@expiry.test", name: "Tom", status: "active", passwordHash: "x", roles: ["member"] },
  ]);
});
afterEach(() => setClockForTests(undefined));
afterAll(() => database.close());

describe("access that expires (A5), in the principal's query", () => {
  it("refuses a session and an API key from the moment the membership expires, with no job run", async () => {
    setClockForTests(T0);
    const sessionId = await createSession(database.db, { userId: tom.id, maxAgeSeconds: 3600, ip: null, userAgent: null });
    const { key } = await database.db.transaction((tx) => createApiKey(tx, currentUserOf(tom), { name: "ci", expiresInDays: null, scopes: ["profile:read"] }));
    await database.db.transaction((tx) => setAccessExpiry(tx, as(ada), { userId: tom.id, target: { kind: "membership" }, expiresAt: "2026-12-01T12:00:00.000Z" }));

    const idle = { idleMinutes: 60 };
    expect(await findSessionPrincipal(database.db, sessionId, { ...idle, at: at("2026-12-01T11:59:59Z") })).not.toBeNull();
    expect(await findApiKeyPrincipal(database.db, key, at("2026-12-01T11:59:59Z"))).not.toBeNull();
    expect(await findSessionPrincipal(database.db, sessionId, { ...idle, at: at("2026-12-01T12:00:00Z") })).toBeNull();
    expect(await findApiKeyPrincipal(database.db, key, at("2026-12-01T12:00:00Z"))).toBeNull();
    expect(await sessionAccessExpired(database.db, sessionId, at("2026-12-01T12:00:00Z"))).toBe(true);

    // Without an explicit time the query goes by the clock: moving it is enough.
    setClockForTests(at("2026-12-01T12:00:01Z"));
    expect(await findSessionPrincipal(database.db, sessionId, idle)).toBeNull();
    expect(await findApiKeyPrincipal(database.db, key)).toBeNull();
    const looked = toPrincipal((await findMemberPrincipal(database.db, accountId, tom.id))!, { kind: "lookup" });
    expect(looked.accessExpired).toBe(true);

    // Renewing gives access back on the next request.
    await database.db.transaction((tx) => setAccessExpiry(tx, as(ada), { userId: tom.id, target: { kind: "membership" }, expiresAt: "2027-01-01T12:00:00.000Z", renew: true }));
    expect(await findSessionPrincipal(database.db, sessionId, idle)).not.toBeNull();
  });

  it("takes an expired role's permissions away on the next request, and an expired subscription's app roles", async () => {
    setClockForTests(T0);
    await database.db.transaction((tx) => setMemberRoles(tx, as(ada), { userId: sam.id, roles: ["member", "developer"], expiresAt: "2026-12-02T00:00:00.000Z" }));
    const [studio] = (await listApplications(database.db)).filter((app) => app.key === "studio");
    await insertSubscription(database.db, { accountId, userId: sam.id, applicationId: studio.id, appRoleKeys: ["user"], expiresAt: at("2026-12-03T00:00:00Z") });
    const permissionsAt = async (iso: string) => toPrincipal((await findMemberPrincipal(database.db, accountId, sam.id, at(iso)))!, { kind: "lookup" }).permissions;

    expect((await permissionsAt("2026-12-01T23:59:59Z")).has("apps.deploy")).toBe(true);
    expect((await permissionsAt("2026-12-02T00:00:00Z")).has("apps.deploy")).toBe(false);
    // The grant given without an expiry stays.
    expect((await permissionsAt("2026-12-02T00:00:00Z")).has("content.view")).toBe(true);
    const [member] = await database.db.select().from(roleGrants).where(and(eq(roleGrants.userId, sam.id), eq(roleGrants.roleKey, "member")));
    expect(member.expiresAt).toBeNull();

    expect((await applicationAccessOf(database.db, sam.id, at("2026-12-02T23:59:59Z"))).map((app) => app.key)).toEqual(["studio"]);
    expect(await applicationAccessOf(database.db, sam.id, at("2026-12-03T00:00:00Z"))).toEqual([]);

    // Giving the role again replaces the expired grant.
    setClockForTests(at("2026-12-05T00:00:00Z"));
    await database.db.transaction((tx) => setMemberRoles(tx, as(ada), { userId: sam.id, roles: ["member", "developer"] }));
    expect((await permissionsAt("2026-12-05T00:00:01Z")).has("apps.deploy")).toBe(true);
  });
});

describe("setting, removing and renewing an expiry", () => {
  it("audits each change with before and after", async () => {
    setClockForTests(T0);
    const change = (expiresAt: string | null, renew = false) =>
      database.db.transaction((tx) => setAccessExpiry(tx, as(ada), { userId: sam.id, target: { kind: "role", role: "member" }, expiresAt, renew }));
    await change("2026-12-20T09:00:00.000Z");
    await change("2027-01-20T09:00:00.000Z", true);
    await change(null);
    const events = await database.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, sam.id))).orderBy(auditEvents.id);
    const ours = events.filter((event) => event.action.startsWith("access.")).slice(-3);
    expect(ours.map((event) => [event.action, event.details.before, event.details.after])).toEqual([
      ["access.expiry_set", null, "2026-12-20T09:00:00.000Z"],
      ["access.renewed", "2026-12-20T09:00:00.000Z", "2027-01-20T09:00:00.000Z"],
      ["access.expiry_removed", "2027-01-20T09:00:00.000Z", null],
    ]);
    expect(ours[0].details).toMatchObject({ email: "sam@expiry.test", type: "role", role: "Member" });
  });

  it("refuses a time in the past, a renewal that does not extend, one's own membership, and roles beyond the actor", async () => {
    setClockForTests(T0);
    const set = (actor: User, input: Parameters<typeof setAccessExpiry>[2]) => refusalOf(database.db.transaction((tx) => setAccessExpiry(tx, as(actor), input)));
    expect(await set(ada, { userId: sam.id, target: { kind: "membership" }, expiresAt: "2026-12-01T09:59:00.000Z" })).toMatchObject({ code: "invalid" });
    expect(await set(ada, { userId: sam.id, target: { kind: "membership" }, expiresAt: "2027-01-01T00:00:00.000Z", renew: true })).toMatchObject({ message: expect.stringMatching(/nothing to renew/) });
    expect(await set(ada, { userId: ada.id, target: { kind: "membership" }, expiresAt: "2027-01-01T00:00:00.000Z" })).toMatchObject({ message: expect.stringMatching(/your own membership/) });
    // A Restricted administrator does not manage an Admin, nor a role they could not give.
    expect(await set(rita, { userId: ada.id, target: { kind: "role", role: "admin" }, expiresAt: "2027-01-01T00:00:00.000Z" })).toMatchObject({ code: "forbidden" });
    expect(await set(rita, { userId: sam.id, target: { kind: "role", role: "viewer" }, expiresAt: "2027-01-01T00:00:00.000Z" })).toMatchObject({ code: "not_found" });
  });

  it("keeps an Admin whose access does not expire", async () => {
    setClockForTests(T0);
    // Ada is the only Admin: neither her Admin role nor (through another Admin) her membership may expire.
    expect(await refusalOf(database.db.transaction((tx) => setAccessExpiry(tx, as(ada), { userId: ada.id, target: { kind: "role", role: "admin" }, expiresAt: "2027-01-01T00:00:00.000Z" })))).toMatchObject({
      message: KEEP_AN_ADMIN,
    });
    const [bo] = await insertMembers(database.db, [{ accountId, email: "bo@expiry.test", name: "Bo", status: "active", passwordHash: "x", roles: ["admin"] }]);
    // With a second, permanent Admin, Ada's Admin role may end; then Bo's may not.
    await database.db.transaction((tx) => setAccessExpiry(tx, as(bo), { userId: ada.id, target: { kind: "role", role: "admin" }, expiresAt: "2027-01-01T00:00:00.000Z" }));
    expect(await refusalOf(database.db.transaction((tx) => setAccessExpiry(tx, as(ada), { userId: bo.id, target: { kind: "membership" }, expiresAt: "2027-01-01T00:00:00.000Z" })))).toMatchObject({
      message: KEEP_AN_ADMIN,
    });
    await database.db.transaction((tx) => setAccessExpiry(tx, as(bo), { userId: ada.id, target: { kind: "role", role: "admin" }, expiresAt: null }));
    await database.db.update(users).set({ status: "disabled" }).where(eq(users.id, bo.id));
  });
});

describe("where expiry shows", () => {
  it("tells someone whose access expired why at sign-in, only when the password is right", async () => {
    const password = "Correct-Horse-9!";
    const [ex] = await insertMembers(database.db, [
      { accountId, email: "ex@expiry.test", name: "Ex", status: "active", passwordHash: await hashPassword(password), roles: ["member"], accessExpiresAt: at("2026-12-01T09:00:00Z") },
    ]);
    setClockForTests(T0);
    const context = { ip: "198.51.100.7", userAgent: "vitest" };
    expect(await checkPassword(database.db, { email: ex.email, password }, context)).toMatchObject({ ok: false, error: ACCESS_EXPIRED });
    expect(await checkPassword(database.db, { email: ex.email, password: "Wrong-Horse-9!" }, context)).toMatchObject({ ok: false, error: INVALID_CREDENTIALS });
    // Before the expiry, the same password signs in.
    setClockForTests(at("2026-12-01T08:59:00Z"));
    expect(await checkPassword(database.db, { email: ex.email, password }, context)).toMatchObject({ ok: true });
  });

  it("filters the team table to what expires within 30 days: not later, not already expired", async () => {
    const [soon, later, gone, roleSoon] = await insertMembers(database.db, [
      { accountId, email: "soon@expiry.test", name: "Soon", status: "active", roles: ["member"], accessExpiresAt: at("2026-12-20T00:00:00Z") },
      { accountId, email: "later@expiry.test", name: "Later", status: "active", roles: ["member"], accessExpiresAt: at("2027-02-01T00:00:00Z") },
      { accountId, email: "gone@expiry.test", name: "Gone", status: "active", roles: ["member"], accessExpiresAt: at("2026-11-30T00:00:00Z") },
      { accountId, email: "rolesoon@expiry.test", name: "Role soon", status: "active", roles: ["member"] },
    ]);
    await database.db.insert(roleGrants).values({ accountId, userId: roleSoon.id, roleKey: "viewer", expiresAt: at("2026-12-15T00:00:00Z") });
    const viewer = currentUserOf(ada);
    const page = await listMembers(database.db, viewer, {}, { expiring: true, at: T0, pageSize: 100 });
    const emails = page.rows.map((row) => row.email);
    expect(emails).toEqual(expect.arrayContaining([soon.email, roleSoon.email]));
    expect(emails).not.toContain(later.email);
    expect(emails).not.toContain(gone.email);
    expect(page.total).toBe(page.rows.length);
    const all = await listMembers(database.db, viewer, {}, { at: T0, pageSize: 100 });
    const row = (email: string) => all.rows.find((r) => r.email === email)!;
    expect(row(gone.email)).toMatchObject({ accessExpired: true, nextExpiresAt: null });
    expect(row(soon.email)).toMatchObject({ accessExpired: false, nextExpiresAt: at("2026-12-20T00:00:00Z") });
    expect(row(roleSoon.email).nextExpiresAt).toEqual(at("2026-12-15T00:00:00Z"));
    expect(row(later.email).nextExpiresAt).toEqual(at("2027-02-01T00:00:00Z"));
  });
});
