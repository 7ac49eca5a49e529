import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSession } from "@/db/queries/sessions";
import { findSessionPrincipal } from "@/db/queries/principals";
import { insertMembers } from "@/db/queries/users";
import { accounts, auditEvents, customRoles, identityProviders, roleGrants, users, type User } from "@/db/schema";
import { currentUserOf, principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { resetConfigForTests } from "@/lib/config";
import { encrypt } from "@/lib/crypto";
import { createCustomRole } from "@/lib/team/custom-roles";
import { setMemberRoles } from "@/lib/team/roles";
import { createScimToken } from "./tokens";
import { scimRequest } from "./testing";

/**
 * B3: the requests Okta's SCIM 2.0 provisioning documentation shows ("SCIM 2.0 protocol
 * reference" and its integration test suite), in the order Okta sends them: a connection
 * test, a userName lookup before creating, create, read, deactivate and reactivate by PATCH
 * with a value object and no path, replace by PUT, group membership by PATCH (add with a
 * members list, remove by members[value eq "…"]), Push groups (create a group, fill it,
 * delete it), and delete.
 */
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let admin: User;
let token: string;
const request = { ip: null, userAgent: null };

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  // An account that signs in through its IdP: provisioned people are Active and use SSO.
  await database.db.insert(identityProviders).values({ accountId: acme.id, slug: "acme-okta", issuer: "https://acme.okta.example", clientId: "c", clientSecretEncrypted: encrypt("s"), emailDomains: ["okta.local"] });
  [admin] = await insertMembers(database.db, [{ accountId: acme.id, email: "admin@okta.local", name: "Ada Admin", roles: ["admin"], status: "active" }]);
  token = (await database.db.transaction((tx) => createScimToken(tx, { principal: currentUserOf(admin), request }, { name: "Okta" }))).token;
});
afterAll(() => database.close());

const okta = (method: string, path: string, body?: unknown) => scimRequest(token, method, path, body);

describe("Okta's SCIM 2.0 sequence (B3)", () => {
  let userId = "";

  it("answers the connection test with a ListResponse as application/scim+json", async () => {
    const reply = await okta("GET", "/Users?startIndex=1&count=2");
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^application\/scim\+json/);
    expect(reply.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
  });

  it("finds nobody by userName before creating", async () => {
    const reply = await okta("GET", `/Users?filter=${encodeURIComponent('userName eq "test.user@okta.local"')}&startIndex=1&count=100`);
    expect(reply.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it("creates the user: Active at once (they sign in through Okta), a Member, externalId kept, audited as done by the token", async () => {
    const reply = await okta("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "test.user@okta.local",
      name: { givenName: "Test", familyName: "User" },
      emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
      displayName: "Test User",
      locale: "en-US",
      externalId: "00ujl29u0le5T6Aj10h7",
      groups: [],
      password: "1mz050nq",
      active: true,
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ userName: "test.user@okta.local", externalId: "00ujl29u0le5T6Aj10h7", active: true, displayName: "Test User", name: { givenName: "Test", familyName: "User" }, emails: [{ value: "test.user@okta.local", primary: true }] });
    userId = String(reply.body.id);
    const [row] = await database.db.select().from(users).where(eq(users.id, userId));
    expect(row).toMatchObject({ status: "active", passwordHash: null, name: "Test User" });
    const grants = await database.db.select().from(roleGrants).where(eq(roleGrants.userId, userId));
    expect(grants.map((grant) => grant.roleKey)).toEqual(["member"]);
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "member.added"));
    expect(event).toMatchObject({ actorId: null, targetId: userId, details: { via: "scim", scimToken: token.slice(0, 12), scimTokenName: "Okta" } });
  });

  it("refuses to create the same userName twice with 409 uniqueness", async () => {
    const reply = await okta("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "TEST.USER@okta.local", emails: [{ value: "other@okta.local", primary: true }] });
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "409", scimType: "uniqueness" });
  });

  it("reads the user, and finds them by userName (in any case) and by externalId", async () => {
    expect((await okta("GET", `/Users/${userId}`)).body).toMatchObject({ id: userId, meta: { resourceType: "User", location: expect.stringMatching(new RegExp(`/scim/v2/Users/${userId}$`)) } });
    const byName = await okta("GET", `/Users?filter=${encodeURIComponent('userName eq "Test.User@okta.local"')}`);
    expect(byName.body).toMatchObject({ totalResults: 1, Resources: [{ id: userId }] });
    // A member who was never provisioned is found by their address.
    expect((await okta("GET", `/Users?filter=${encodeURIComponent('userName eq "ADMIN@okta.local"')}`)).body).toMatchObject({ totalResults: 1, Resources: [{ id: admin.id, userName: "admin@okta.local" }] });
    const byExternalId = await okta("GET", `/Users?filter=${encodeURIComponent('externalId eq "00ujl29u0le5T6Aj10h7"')}`);
    expect(byExternalId.body).toMatchObject({ totalResults: 1, Resources: [{ id: userId }] });
  });

  it("deactivates by PATCH with a value object and no path: the live session ends on its next request", async () => {
    const sessionId = await createSession(database.db, { userId, maxAgeSeconds: 3600, ip: null, userAgent: null });
    expect(await findSessionPrincipal(database.db, sessionId, { idleMinutes: 60 })).not.toBeNull();
    const reply = await okta("PATCH", `/Users/${userId}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: userId, active: false });
    expect(await findSessionPrincipal(database.db, sessionId, { idleMinutes: 60 })).toBeNull();
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "member.disabled"));
    expect(event).toMatchObject({ actorId: null, targetId: userId, details: { via: "scim" } });
  });

  it("reactivates by PATCH", async () => {
    const reply = await okta("PATCH", `/Users/${userId}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: true } }] });
    expect(reply.body).toMatchObject({ active: true });
    expect((await database.db.select().from(users).where(eq(users.id, userId)))[0].status).toBe("active");
  });

  it("replaces the user by PUT: the new name through the console's rename, audited", async () => {
    const reply = await okta("PUT", `/Users/${userId}`, {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      id: userId,
      userName: "test.user@okta.local",
      name: { givenName: "Another", familyName: "User" },
      emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
      displayName: "Another User",
      externalId: "00ujl29u0le5T6Aj10h7",
      active: true,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ displayName: "Another User", name: { givenName: "Another" } });
    expect((await database.db.select().from(auditEvents).where(eq(auditEvents.action, "member.renamed")))[0]).toMatchObject({ details: { before: "Test User", after: "Another User", via: "scim" } });
  });

  it("refuses to change a member's email address (400 mutability)", async () => {
    const reply = await okta("PUT", `/Users/${userId}`, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "test.user@okta.local", emails: [{ primary: true, value: "elsewhere@okta.local" }], active: true });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ scimType: "mutability" });
  });

  it("adds the user to a group (a role) and removes them with members[value eq …]", async () => {
    const found = await okta("GET", `/Groups?filter=${encodeURIComponent('displayName eq "Manager"')}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: "manager", displayName: "Manager", members: [] }] });
    const added = await okta("PATCH", "/Groups/manager", { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: userId, display: "test.user@okta.local" }] }] });
    expect(added.status).toBe(204);
    const grants = async () => (await database.db.select().from(roleGrants).where(eq(roleGrants.userId, userId))).map((grant) => grant.roleKey).sort();
    expect(await grants()).toEqual(["manager", "member"]);
    expect((await okta("GET", "/Groups/manager")).body).toMatchObject({ members: [{ value: userId, display: "test.user@okta.local" }] });
    const changed = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "member.roles_changed"));
    expect(changed.at(-1)).toMatchObject({ actorId: null, details: { before: ["Member"], after: ["Member", "Manager"], via: "scim" } });

    // Okta renames with a value object holding id and displayName; the same name changes nothing.
    const same = await okta("PATCH", "/Groups/manager", { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { id: "manager", displayName: "Manager" } }] });
    expect(same.status).toBe(204);

    const removed = await okta("PATCH", "/Groups/manager", { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "remove", path: `members[value eq "${userId}"]` }] });
    expect(removed.status).toBe(204);
    expect(await grants()).toEqual(["member"]);
  });

  it("replaces a group's members by PUT", async () => {
    const reply = await okta("PUT", "/Groups/viewer", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], id: "viewer", displayName: "Viewer", members: [{ value: userId, display: "test.user@okta.local" }] });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: "viewer", members: [{ value: userId }] });
    const emptied = await okta("PUT", "/Groups/viewer", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Viewer", members: [] });
    expect(emptied.body).toMatchObject({ members: [] });
  });

  it("pushes a new group: a custom role without permissions, filled by PATCH, deleted with its holders keeping Member — all audited as the token", async () => {
    const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    const created = await okta("POST", "/Groups", { schemas: [GROUP], displayName: "Field engineers", members: [] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: "Field engineers", members: [], meta: { resourceType: "Group" } });
    const roleId = String(created.body.id);
    const [role] = await database.db.select().from(customRoles).where(eq(customRoles.id, roleId));
    expect(role).toMatchObject({ accountId: admin.accountId, name: "Field engineers", permissions: [] });
    const audited = async (action: string) => database.db.select().from(auditEvents).where(eq(auditEvents.action, action));
    expect(await audited("role.created")).toMatchObject([{ actorId: null, targetId: roleId, details: { name: "Field engineers", permissions: [], via: "scim", scimTokenName: "Okta" } }]);
    // The same name again (in another case) is the role Okta should link to.
    expect((await okta("POST", "/Groups", { schemas: [GROUP], displayName: "field ENGINEERS" })).body).toMatchObject({ status: "409", scimType: "uniqueness" });

    const added = await okta("PATCH", `/Groups/${roleId}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: userId, display: "test.user@okta.local" }] }] });
    expect(added.status).toBe(204);
    const held = async (id: string) => (await database.db.select().from(roleGrants).where(eq(roleGrants.userId, id))).map((grant) => grant.customRoleId ?? grant.roleKey).sort();
    expect(await held(userId)).toEqual([roleId, "member"].sort());
    // Someone whose only role it is (given in the console) is left a Member, not roleless.
    const [solo] = await insertMembers(database.db, [{ accountId: admin.accountId, email: "solo@okta.local", name: "Sol", status: "active" }]);
    await database.db.transaction((tx) => setMemberRoles(tx, { principal: currentUserOf(admin), request }, { userId: solo.id, roles: [roleId] }));
    expect(await held(solo.id)).toEqual([roleId]);

    const deleted = await okta("DELETE", `/Groups/${roleId}`);
    expect(deleted.status).toBe(204);
    expect(await database.db.select().from(customRoles).where(eq(customRoles.id, roleId))).toEqual([]);
    expect((await okta("GET", `/Groups/${roleId}`)).status).toBe(404);
    expect(await held(userId)).toEqual(["member"]);
    expect(await held(solo.id)).toEqual(["member"]);
    const changes = (await audited("member.roles_changed")).filter((event) => event.targetId === userId || event.targetId === solo.id);
    expect(changes.slice(-2)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: null, targetId: userId, details: expect.objectContaining({ before: ["Member", "Field engineers"], after: ["Member"], via: "scim" }) }),
        expect.objectContaining({ actorId: null, targetId: solo.id, details: expect.objectContaining({ before: ["Field engineers"], after: ["Member"], via: "scim" }) }),
      ]),
    );
    expect(await audited("role.deleted")).toMatchObject([{ actorId: null, targetId: roleId, details: { name: "Field engineers", via: "scim", scimTokenName: "Okta" } }]);
  });

  it("refuses to delete a predefined role's group (400 mutability); nothing changes", async () => {
    const reply = await okta("DELETE", "/Groups/manager");
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ scimType: "mutability", detail: expect.stringContaining("Manager is a predefined role") });
    expect((await okta("GET", "/Groups/manager")).status).toBe(200);
  });

  it("deletes the user: disabled with their content kept, and gone from SCIM (404)", async () => {
    const sessionId = await createSession(database.db, { userId, maxAgeSeconds: 3600, ip: null, userAgent: null });
    expect((await okta("DELETE", `/Users/${userId}`)).status).toBe(204);
    expect(await findSessionPrincipal(database.db, sessionId, { idleMinutes: 60 })).toBeNull();
    const [row] = await database.db.select().from(users).where(eq(users.id, userId));
    expect(row.status).toBe("disabled");
    const gone = await okta("GET", `/Users/${userId}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
    expect((await okta("GET", `/Users?filter=${encodeURIComponent('userName eq "test.user@okta.local"')}`)).body).toMatchObject({ totalResults: 0 });
  });

  it("creates a deleted user again as the same member, active", async () => {
    const reply = await okta("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "test.user@okta.local", name: { givenName: "Test", familyName: "User" }, emails: [{ primary: true, value: "test.user@okta.local" }], active: true });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ id: userId, active: true });
  });
});

describe("a token whose maker cannot define roles (B3)", () => {
  it("is refused 403 creating or deleting a group, and still links to an existing role by name", async () => {
    const actor = { principal: currentUserOf(admin), request };
    const provisioner = await database.db.transaction((tx) =>
      createCustomRole(tx, actor, { name: "Provisioner", description: "", permissions: ["provisioning.manage", "members.read", "members.invite", "members.manage", "roles.assign", "content.view"] }),
    );
    const kept = await database.db.transaction((tx) => createCustomRole(tx, actor, { name: "Auditors", description: "", permissions: ["content.view"] }));
    const [maker] = await insertMembers(database.db, [{ accountId: admin.accountId, email: "pat@okta.local", name: "Pat", status: "active", roles: [{ key: provisioner.id, custom: true }] }]);
    const principal = await principalFromDatabase(database.db, maker);
    expect(principal.permissions.has("roles.manage")).toBe(false);
    const limited = (await database.db.transaction((tx) => createScimToken(tx, { principal, request }, { name: "Okta (limited)" }))).token;

    const create = await scimRequest(limited, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Night shift" });
    expect(create.status).toBe(403);
    expect(create.body).toMatchObject({ status: "403", detail: expect.stringContaining("Define custom roles") });
    expect(await database.db.select().from(customRoles).where(eq(customRoles.name, "Night shift"))).toEqual([]);

    const remove = await scimRequest(limited, "DELETE", `/Groups/${kept.id}`);
    expect(remove.status).toBe(403);
    expect(remove.body).toMatchObject({ detail: expect.stringContaining("Define custom roles") });
    expect(await database.db.select().from(customRoles).where(eq(customRoles.id, kept.id))).toHaveLength(1);

    expect((await scimRequest(limited, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Auditors" })).status).toBe(409);
  });
});

describe("a pushed group held by someone out of the token's sight (T6)", () => {
  it("is not deleted: 409 saying so, and nobody loses it", async () => {
    vi.stubEnv("STAFF_EMAIL_DOMAIN", "vendor.example");
    resetConfigForTests();
    try {
      const created = await okta("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Support escalations" });
      const roleId = String(created.body.id);
      const [staff] = await insertMembers(database.db, [{ accountId: admin.accountId, email: "ops@vendor.example", name: "Vendor ops", status: "active", roles: ["member", { key: roleId, custom: true }] }]);
      const reply = await okta("DELETE", `/Groups/${roleId}`);
      expect(reply.status).toBe(409);
      expect(reply.body).toMatchObject({ detail: expect.stringContaining("held by someone this token cannot change") });
      expect(await database.db.select().from(customRoles).where(eq(customRoles.id, roleId))).toHaveLength(1);
      expect((await database.db.select().from(roleGrants).where(eq(roleGrants.userId, staff.id))).map((grant) => grant.customRoleId ?? grant.roleKey)).toContain(roleId);
    } finally {
      vi.unstubAllEnvs();
      resetConfigForTests();
    }
  });
});
