import { beforeAll, afterAll, describe, expect, it, vi } from "vitest";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { insertMembers } from "@/db/queries/users";
import { accounts, type User } from "@/db/schema";
import { createApiKey, scopesAvailableTo } from "@/lib/api-keys";
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
const { GET: listUsers } = await import("@/app/api/v1/users/route");
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
  { name: "Slack non-members", permission: "integrations.manage", call: () => team.setSlackNonMembers({ allow: true }) },
  { name: "subscribe to an app", permission: "apps.manage", call: () => apps.subscribeToApp({ userId: target.id, appKey: "studio" }) },
  { name: "app roles", permission: "apps.manage", call: () => apps.setAppRoles({ userId: target.id, appKey: "studio", roles: ["user"] }) },
  { name: "unsubscribe from an app", permission: "apps.manage", call: () => apps.unsubscribeFromApp({ userId: target.id, appKey: "insights" }) },
  { name: "end a member's sessions", permission: "sessions.manage", call: () => apps.endMemberSessions({ userId: target.id }) },
  { name: "membership expiry", permission: "members.manage", call: () => apps.setMembershipExpiry({ userId: target.id, expiresAt: "2099-01-01T00:00:00Z" }) },
  { name: "role expiry", permission: "roles.assign", call: () => apps.setRoleExpiry({ userId: target.id, role: "member", expiresAt: null }) },
  { name: "app expiry", permission: "apps.manage", call: () => apps.setAppExpiry({ userId: target.id, appKey: "studio", expiresAt: null }) },
  { name: "expiry warning days", permission: "security.manage", call: () => team.setExpiryWarningDays({ days: 10 }) },
  { name: "create a custom role", permission: "roles.manage", call: () => roles.createRole({ name: `Role ${Math.random()}`, permissions: ["content.view"] }) },
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
      return expect(scopes.length).toBeLessThanOrEqual(1);
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
  });
});
