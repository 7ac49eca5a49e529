import { beforeAll, afterAll, describe, expect, it, vi } from "vitest";
import { currentUserOf, principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { insertMembers } from "@/db/queries/users";
import { accounts, roleGrants, type User } from "@/db/schema";
import { addMemberToUnit } from "@/lib/org-units/members";
import { createUnit } from "@/lib/org-units/units";
import { createApiKey, scopesAvailableTo } from "@/lib/api-keys";
import { GET as listResources, POST as createResourceByApi } from "@/app/api/v1/resources/route";
import { GET as listAuditEvents } from "@/app/api/v1/audit-events/route";
import { GET as listSignInAttempts } from "@/app/api/v1/sign-in-attempts/route";
import type { CurrentUser } from "@/lib/auth/session";
import { SYSTEM_ROLE_KEYS, SYSTEM_ROLES, type Permission, type SystemRoleKey } from "./permissions";

// A3: every predefined role × every console action and API route, called directly (as a
// crafted server-action request or API call would), allowed exactly where the catalogue
// says. The session is the test's; everything after it is the real code.
const caller: { user: CurrentUser | null } = { user: null };
vi.mock("@/lib/auth/session", () => ({
  requireUser: async () => {
    if (!caller.user) throw new Error("NEXT_REDIRECT /sign-in");
    return caller.user;
  },
}));
vi.mock("@/lib/request", async (original) => ({ ...(await original<typeof import("@/lib/request")>()), requestContext: async () => ({ ip: "203.0.113.9", userAgent: "matrix" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const team = await import("@/app/(console)/users/actions");
const apps = await import("@/app/(console)/users/[id]/actions");
const roles = await import("@/app/(console)/roles/actions");
const units = await import("@/app/(console)/units/actions");
const reviews = await import("@/app/(console)/reviews/actions");
const provisioning = await import("@/app/(console)/settings/provisioning/actions");
const slack = await import("@/app/(console)/settings/slack/actions");
const domains = await import("@/app/(console)/settings/domains/actions");
const idp = await import("@/app/(console)/settings/identity-provider/actions");
const { GET: listUsers } = await import("@/app/api/v1/users/route");
const { GET: getUser } = await import("@/app/api/v1/users/[id]/route");
const { POST: authorize } = await import("@/app/api/v1/authorize/route");
const { POST: disableByApi } = await import("@/app/api/v1/users/[id]/disable/route");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
const holders = new Map<SystemRoleKey, User>();
let target: User;
let invited: User;

type ConsoleCase = { name: string; permission: Permission; call: () => Promise<{ ok: boolean; code?: string; stepUp?: unknown }> };
const consoleCases = (): ConsoleCase[] => [
  { name: "invite", permission: "members.invite", call: () => team.inviteMember({ email: `new.${Math.random().toString(36).slice(2)}@matrix.test`, roles: ["member"] }) },
  { name: "resend invitation", permission: "members.invite", call: () => team.resendInvitation({ userId: invited.id }) },
  { name: "revoke invitation", permission: "members.invite", call: () => team.revokeInvitation({ userId: invited.id }) },
  { name: "disable", permission: "members.manage", call: () => team.disableMember({ userId: target.id }) },
  { name: "enable", permission: "members.manage", call: () => team.enableMember({ userId: target.id }) },
  { name: "remove 2FA", permission: "members.manage", call: () => team.removeMemberTwoFactor({ userId: target.id }) },
  { name: "send password reset", permission: "members.manage", call: () => team.sendMemberPasswordReset({ userId: target.id }) },
  { name: "change roles", permission: "roles.assign", call: () => team.setMemberRoles({ userId: target.id, roles: ["member", "viewer"] }) },
  { name: "add workstation", permission: "members.invite", call: () => team.addWorkstation({ name: "Front desk", location: "Plant 2" }) },
  { name: "enforce 2FA", permission: "security.manage", call: () => team.setTwoFactorEnforcement({ enabled: false, graceDays: 0, audience: "everyone", roles: [] }) },
  { name: "Slack non-members", permission: "connections.manage", call: () => slack.setSlackNonMembers({ allow: true }) },
  { name: "connect Slack", permission: "connections.manage", call: () => slack.connectSlackAction({ teamId: "T0MATRIX", teamName: "Matrix" }) },
  { name: "add a domain", permission: "connections.manage", call: () => domains.addDomainAction({ domain: `d${Math.random().toString(36).slice(2)}.matrix.test` }) },
  { name: "save the identity provider", permission: "connections.manage", call: () => idp.saveIdentityProviderAction({ slug: "matrix", issuer: "https://idp.matrix.test", clientId: "c", clientSecret: "s", emailDomains: ["matrix.test"] }) },
  { name: "test the identity provider", permission: "connections.manage", call: () => idp.startIdentityProviderTest({ issuer: "https://idp.matrix.test", clientId: "c", clientSecret: "s", emailDomains: ["matrix.test"] }) },
  { name: "approve a join request", permission: "members.invite", call: () => team.approveJoinRequestAction({ requestId: "00000000-0000-4000-8000-000000000000" }) },
  { name: "approve a join request on Verified domains", permission: "connections.manage", call: () => domains.approveJoinFromDomainsAction({ requestId: "00000000-0000-4000-8000-000000000000" }) },
  { name: "subscribe to an app", permission: "apps.manage", call: () => apps.subscribeToApp({ userId: target.id, appKey: "studio" }) },
  { name: "app roles", permission: "apps.manage", call: () => apps.setAppRoles({ userId: target.id, appKey: "studio", roles: ["user"] }) },
  { name: "unsubscribe from an app", permission: "apps.manage", call: () => apps.unsubscribeFromApp({ userId: target.id, appKey: "insights" }) },
  { name: "end a member's sessions", permission: "sessions.manage", call: () => apps.endMemberSessions({ userId: target.id }) },
  { name: "membership expiry", permission: "members.manage", call: () => apps.setMembershipExpiry({ userId: target.id, expiresAt: "2099-01-01T00:00:00Z" }) },
  { name: "role expiry", permission: "roles.assign", call: () => apps.setRoleExpiry({ userId: target.id, role: "member", expiresAt: null }) },
  { name: "app expiry", permission: "apps.manage", call: () => apps.setAppExpiry({ userId: target.id, appKey: "studio", expiresAt: null }) },
  { name: "expiry warning days", permission: "security.manage", call: () => team.setExpiryWarningDays({ days: 10 }) },
  { name: "create a custom role", permission: "roles.manage", call: () => roles.createRole({ name: `Role ${Math.random()}`, permissions: ["content.view"] }) },
  { name: "create a unit", permission: "units.manage", call: () => units.createUnit({ name: `Unit ${Math.random()}`, parentId: null }) },
  { name: "start an access review", permission: "reviews.manage", call: () => reviews.startReview({ name: "Matrix review", inactiveDays: 90 }) },
  { name: "access review schedule", permission: "reviews.manage", call: () => reviews.setReviewSchedule({ everyMonths: 3 }) },
  { name: "decide an access review line", permission: "reviews.manage", call: () => reviews.keepReviewLine({ lineId: "00000000-0000-4000-8000-000000000000" }) },
  { name: "create a SCIM token", permission: "provisioning.manage", call: () => provisioning.createScimTokenAction({ name: "Okta" }) },
  { name: "revoke a SCIM token", permission: "provisioning.manage", call: () => provisioning.revokeScimTokenAction({ tokenId: "00000000-0000-4000-8000-000000000000" }) },
  { name: "put a member in a unit", permission: "members.manage", call: () => apps.addToUnit({ userId: target.id, unitId: "00000000-0000-4000-8000-000000000000" }) },
];

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Matrix" }).returning();
  const people = await insertMembers(database.db, [
    ...SYSTEM_ROLE_KEYS.map((key) => ({ accountId: account.id, email: `${key}@matrix.test`, name: SYSTEM_ROLES[key].name, status: "active" as const, passwordHash: "x", roles: [key] })),
    { accountId: account.id, email: "target@matrix.test", name: "Target", status: "active", passwordHash: "x", roles: ["member"] },
    { accountId: account.id, email: "invited@matrix.test", name: "Invited", status: "invited", roles: ["member"] },
  ]);
  SYSTEM_ROLE_KEYS.forEach((key, i) => holders.set(key, people[i]));
  [target, invited] = people.slice(SYSTEM_ROLE_KEYS.length);
});
afterAll(() => database.close());

describe.each(SYSTEM_ROLE_KEYS)("the %s role", (key) => {
  const holds = (permission: Permission) => (SYSTEM_ROLES[key].permissions as readonly Permission[]).includes(permission);

  it("reaches exactly the console actions its permissions allow", async () => {
    caller.user = currentUserOf(holders.get(key)!);
    for (const action of consoleCases()) {
      const result = await action.call();
      const refusedForRole = !result.ok && result.code === "forbidden" && !result.stepUp;
      expect(refusedForRole, `${key} → ${action.name}: ${JSON.stringify(result)}`).toBe(!holds(action.permission));
    }
  });

  it("reaches exactly the API routes its permissions allow, with a key of every scope it may have", async () => {
    const principal = currentUserOf(holders.get(key)!);
    const scopes = scopesAvailableTo(principal);
    if (!holds("api_keys.create")) {
      // Not allowed a key at all: the console refuses to make one (the API then has no caller).
      return await expect(database.db.transaction((tx) => createApiKey(tx, principal, { name: "matrix", expiresInDays: null, scopes: ["profile:read"] }))).rejects.toThrow("Your roles do not allow API keys.");
    }
    const { key: apiKey } = await database.db.transaction((tx) => createApiKey(tx, principal, { name: "matrix", expiresInDays: null, scopes }));
    const call = (path: string, init: RequestInit = {}) => new Request(`http://roster.test/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" } });
    const noParams = { params: Promise.resolve({}) };
    const listed = await listUsers(call("/users"), noParams);
    expect(listed.status, `${key} GET /users`).toBe(holds("members.read") ? 200 : 403);
    const asked = await authorize(call("/authorize", { method: "POST", body: JSON.stringify({ userId: target.id, permission: "content.view" }) }), noParams);
    expect(asked.status, `${key} POST /authorize`).toBe(holds("members.read") ? 200 : 403);
    const disabled = await disableByApi(call(`/users/${invited.id}/disable`, { method: "POST" }), { params: Promise.resolve({ id: invited.id }) });
    // Allowed: the member is only invited, so the answer is a conflict about them, not about the caller.
    expect(disabled.status, `${key} POST /users/{id}/disable`).toBe(holds("members.manage") ? 409 : 403);
    // A6: creating a resource needs "Create content"; listing, "View content".
    const resources = await listResources(call("/resources"), noParams);
    expect(resources.status, `${key} GET /resources`).toBe(holds("content.view") ? 200 : 403);
    const created = await createResourceByApi(call("/resources", { method: "POST", body: JSON.stringify({ kind: "chat", name: `${key} chat` }) }), noParams);
    expect(created.status, `${key} POST /resources`).toBe(holds("content.create") ? 201 : 403);
    // O1/O2: the audit log and sign-in activity, for whoever reads them in the console.
    expect((await listAuditEvents(call("/audit-events"), noParams)).status, `${key} GET /audit-events`).toBe(holds("audit.read") ? 200 : 403);
    expect((await listSignInAttempts(call("/sign-in-attempts"), noParams)).status, `${key} GET /sign-in-attempts`).toBe(holds("activity.read") ? 200 : 403);
  });
});

// A4: the Restricted administrator of one unit — the same console actions and API routes,
// on a member inside their unit as their role allows, on one beside it "not found" (never
// "forbidden", which would confirm the member exists), the account's policy still not theirs.
describe("a Restricted administrator of a unit", () => {
  let unitAdmin: CurrentUser;
  let insider: User;
  let outsider: User;
  let invitedOutsider: User;

  beforeAll(async () => {
    const admin = holders.get("admin")!;
    const actor = { principal: currentUserOf(admin), request: { ip: "203.0.113.9", userAgent: "matrix" } };
    const unit = (name: string) => database.db.transaction((tx) => createUnit(tx, actor, { name, parentId: null }));
    const [emea, americas] = [await unit("EMEA"), await unit("Americas")];
    const [rita, ...people] = await insertMembers(database.db, [
      { accountId: admin.accountId, email: "rita@matrix.test", name: "Rita", status: "active", passwordHash: "x", roles: ["member"] },
      { accountId: admin.accountId, email: "insider@matrix.test", name: "Insider", status: "active", passwordHash: "x", roles: ["member"] },
      { accountId: admin.accountId, email: "outsider@matrix.test", name: "Outsider", status: "active", passwordHash: "x", roles: ["member"] },
      { accountId: admin.accountId, email: "invited.outsider@matrix.test", name: "Invited outsider", status: "invited", roles: ["member"] },
    ]);
    [insider, outsider, invitedOutsider] = people;
    await database.db.transaction(async (tx) => {
      await addMemberToUnit(tx, actor, { userId: rita.id, unitId: emea.id });
      await addMemberToUnit(tx, actor, { userId: insider.id, unitId: emea.id });
      await addMemberToUnit(tx, actor, { userId: outsider.id, unitId: americas.id });
      await addMemberToUnit(tx, actor, { userId: invitedOutsider.id, unitId: americas.id });
      await tx.insert(roleGrants).values({ accountId: admin.accountId, userId: rita.id, roleKey: "restricted_admin", unitId: emea.id });
    });
    unitAdmin = await principalFromDatabase(database.db, rita);
  });

  const onMember = (member: () => User, invitee: () => User) => [
    { name: "resend invitation", call: () => team.resendInvitation({ userId: invitee().id }) },
    { name: "revoke invitation", call: () => team.revokeInvitation({ userId: invitee().id }) },
    { name: "disable", call: () => team.disableMember({ userId: member().id }) },
    { name: "enable", call: () => team.enableMember({ userId: member().id }) },
    { name: "remove 2FA", call: () => team.removeMemberTwoFactor({ userId: member().id }) },
    { name: "send password reset", call: () => team.sendMemberPasswordReset({ userId: member().id }) },
    { name: "change roles", call: () => team.setMemberRoles({ userId: member().id, roles: ["member", "viewer"] }) },
    { name: "subscribe to an app", call: () => apps.subscribeToApp({ userId: member().id, appKey: "studio" }) },
    { name: "end a member's sessions", call: () => apps.endMemberSessions({ userId: member().id }) },
    { name: "put in a unit", call: () => apps.addToUnit({ userId: member().id, unitId: "00000000-0000-4000-8000-000000000000" }) },
  ];

  it("finds nobody outside their unit, by any console action", async () => {
    caller.user = unitAdmin;
    for (const action of onMember(() => outsider, () => invitedOutsider)) {
      const result = await action.call();
      expect(result, `${action.name} on a member beside their unit`).toMatchObject({ ok: false, code: "not_found" });
    }
  });

  it("reaches inside their unit what the role allows, and no more", async () => {
    caller.user = unitAdmin;
    for (const action of onMember(() => insider, () => insider).filter(({ name }) => !/invitation|unit/.test(name))) {
      const result = await action.call();
      expect(result.ok || Boolean(result.stepUp) || !["forbidden", "not_found"].includes(("code" in result && result.code) || ""), `${action.name} inside: ${JSON.stringify(result)}`).toBe(true);
    }
    expect(await team.setTwoFactorEnforcement({ enabled: false, graceDays: 0, audience: "everyone", roles: [] })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await units.createUnit({ name: "Mine", parentId: null })).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("lists and reads only their unit's members through the API", async () => {
    const { key } = await database.db.transaction((tx) => createApiKey(tx, unitAdmin, { name: "unit", expiresInDays: null, scopes: ["members:read", "members:write"] }));
    const call = (path: string, init: RequestInit = {}) => new Request(`http://roster.test/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${key}` } });
    const listed = (await (await listUsers(call("/users?pageSize=100"), { params: Promise.resolve({}) })).json()) as { data: { email: string }[]; total: number };
    expect(listed.data.map((row) => row.email).sort()).toEqual(["insider@matrix.test", "rita@matrix.test"]);
    expect(listed.total).toBe(2);
    expect((await getUser(call(`/users/${outsider.id}`), { params: Promise.resolve({ id: outsider.id }) })).status).toBe(404);
    expect((await getUser(call(`/users/${insider.id}`), { params: Promise.resolve({ id: insider.id }) })).status).toBe(200);
    expect((await disableByApi(call(`/users/${outsider.id}/disable`, { method: "POST" }), { params: Promise.resolve({ id: outsider.id }) })).status).toBe(404);
    const ask = (userId: string) => authorize(new Request("http://roster.test/api/v1/authorize", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ userId, permission: "content.view" }) }), { params: Promise.resolve({}) });
    expect((await ask(outsider.id)).status).toBe(404);
    expect((await ask(insider.id)).status).toBe(200);
  });
});
