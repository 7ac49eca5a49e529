import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/db/queries/sessions";
import { findSessionPrincipal } from "@/db/queries/principals";
import { insertMembers } from "@/db/queries/users";
import { verifyAuditChain } from "@/db/queries/audit";
import { accessRules, accounts, auditEvents, customRoles, emailOutbox, identityProviders, roleGrants, scimIdentities, scimTokens, userProperties, users, type User } from "@/db/schema";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { encrypt } from "@/lib/crypto";
import { createCustomRole } from "@/lib/team/custom-roles";
import { createScimToken, revokeScimToken, setScimDeleteAction } from "./tokens";
import { scimRequest } from "./testing";

/**
 * B3: the requests in Microsoft Entra's "Develop a SCIM endpoint" documentation (its
 * request/response examples), against an SSO-only account — the case provisioning is for:
 * lookups by userName and by displayName with excludedAttributes=members, create with a
 * UPN userName and the address in emails, PATCH with capitalised operations and "False" as
 * a string, group member add and remove by value list, group create and hard delete, and
 * delete. Then crafted requests:
 * wrong and revoked tokens, another account's IDs, and filters it does not answer.
 */
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let admin: User, otherAdmin: User, otherMember: User;
let token: string, otherToken: string;
const request = { ip: null, userAgent: null };
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

beforeAll(async () => {
  database = await useFreshDatabase();
  const [contoso, fabrikam] = await database.db.insert(accounts).values([{ name: "Contoso" }, { name: "Fabrikam" }]).returning();
  await database.db.insert(identityProviders).values({ accountId: contoso.id, slug: "contoso", issuer: "https://login.microsoftonline.example/contoso", clientId: "c", clientSecretEncrypted: encrypt("s"), emailDomains: ["contoso.test"], ssoOnly: true });
  [admin, otherAdmin, otherMember] = await insertMembers(database.db, [
    { accountId: contoso.id, email: "admin@contoso.test", name: "Ada", roles: ["admin"], status: "active" },
    { accountId: fabrikam.id, email: "admin@fabrikam.test", name: "Fay", roles: ["admin"], status: "active" },
    { accountId: fabrikam.id, email: "otto@fabrikam.test", name: "Otto", status: "active" },
  ]);
  token = (await database.db.transaction((tx) => createScimToken(tx, { principal: currentUserOf(admin), request }, { name: "Entra" }))).token;
  otherToken = (await database.db.transaction((tx) => createScimToken(tx, { principal: currentUserOf(otherAdmin), request }, { name: "Okta" }))).token;
  await database.db.transaction((tx) => createCustomRole(tx, { principal: currentUserOf(admin), request }, { name: "Finance readers", description: "", permissions: ["content.view"] }));
});
afterAll(() => database.close());

const entra = (method: string, path: string, body?: unknown) => scimRequest(token, method, path, body);
const filter = (expression: string) => encodeURIComponent(expression);

describe("Microsoft Entra's SCIM sequence (B3), in an SSO-only account", () => {
  let userId = "";
  let financeId = "";

  it("creates a user after a lookup finds nobody; the UPN is the userName, the address comes from emails", async () => {
    const lookup = await entra("GET", `/Users?filter=${filter('userName eq "Test_User_dfeef4c5@contoso.onmicrosoft.example"')}`);
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [], startIndex: 1, itemsPerPage: 0 });
    const reply = await entra("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_dfeef4c5@contoso.onmicrosoft.example",
      active: true,
      emails: [{ primary: true, type: "work", value: "test.user@contoso.test" }],
      meta: { resourceType: "User" },
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      roles: [],
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ userName: "Test_User_dfeef4c5@contoso.onmicrosoft.example", externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef", active: true, emails: [{ value: "test.user@contoso.test" }], displayName: "givenName familyName" });
    userId = String(reply.body.id);
    expect((await database.db.select().from(users).where(eq(users.id, userId)))[0]).toMatchObject({ email: "test.user@contoso.test", status: "active" });
    // Known by the userName the IdP gave, not by the address.
    expect((await entra("GET", `/Users?filter=${filter('userName eq "test.user@contoso.test"')}`)).body).toMatchObject({ totalResults: 0 });
    expect((await entra("GET", `/Users?filter=${filter('emails.value eq "test.user@contoso.test"')}`)).body).toMatchObject({ totalResults: 1, Resources: [{ id: userId }] });
  });

  it("updates with capitalised operations: a single-valued userName and a name part", async () => {
    const reply = await entra("PATCH", `/Users/${userId}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "Replace", path: "userName", value: "5b50642d@contoso.onmicrosoft.example" },
        { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
      ],
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ userName: "5b50642d@contoso.onmicrosoft.example", name: { familyName: "updatedFamilyName" }, displayName: "givenName updatedFamilyName" });
  });

  it('disables with {"op":"Replace","path":"active","value":"False"}, ending a live session on its next request', async () => {
    const sessionId = await createSession(database.db, { userId, maxAgeSeconds: 3600, ip: null, userAgent: null });
    expect(await findSessionPrincipal(database.db, sessionId, { idleMinutes: 60 })).not.toBeNull();
    const reply = await entra("PATCH", `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] });
    expect(reply.body).toMatchObject({ active: false });
    expect(await findSessionPrincipal(database.db, sessionId, { idleMinutes: 60 })).toBeNull();
    const enabled = await entra("PATCH", `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "True" }] });
    expect(enabled.body).toMatchObject({ active: true });
  });

  it("finds a group by displayName without members, adds and removes members by value list", async () => {
    const found = await entra("GET", `/Groups?excludedAttributes=members&filter=${filter('displayName eq "finance readers"')}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ displayName: "Finance readers" }] });
    const group = found.body.Resources![0];
    expect(group).not.toHaveProperty("members");
    financeId = String(group.id);
    expect((await entra("GET", `/Groups/${financeId}?excludedAttributes=members`)).body).not.toHaveProperty("members");

    expect((await entra("PATCH", `/Groups/${financeId}`, { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: userId }] }] })).status).toBe(204);
    const held = async () => (await database.db.select().from(roleGrants).where(eq(roleGrants.userId, userId))).map((grant) => grant.customRoleId ?? grant.roleKey);
    expect(await held()).toContain(financeId);
    expect((await entra("PATCH", `/Groups/${financeId}`, { schemas: [PATCH_OP], Operations: [{ op: "Remove", path: "members", value: [{ $ref: null, value: userId }] }] })).status).toBe(204);
    expect(await held()).toEqual(["member"]);
  });

  it("renames a custom role through the group's displayName; a predefined role's name stays", async () => {
    const renamed = await entra("PATCH", `/Groups/${financeId}`, { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "displayName", value: "Finance viewers" }] });
    expect(renamed.status).toBe(204);
    expect((await entra("GET", `/Groups/${financeId}`)).body).toMatchObject({ displayName: "Finance viewers" });
    const refused = await entra("PATCH", "/Groups/admin", { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "displayName", value: "Superusers" }] });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ scimType: "mutability" });
  });

  it("creates a group: a role's name is 409; a new one is a custom role without permissions, with the members sent", async () => {
    expect((await entra("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Manager" })).body).toMatchObject({ status: "409", scimType: "uniqueness" });
    const created = await entra("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], externalId: "8aa1a0c0", displayName: "displayName", meta: { resourceType: "Group" }, members: [{ value: userId }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: "displayName", members: [{ value: userId }] });
    const groupId = String(created.body.id);
    expect((await database.db.select().from(customRoles).where(eq(customRoles.id, groupId)))[0]).toMatchObject({ accountId: admin.accountId, permissions: [] });
    expect((await entra("GET", `/Groups?excludedAttributes=members&filter=${filter('displayName eq "displayName"')}`)).body).toMatchObject({ totalResults: 1, Resources: [{ id: groupId }] });
    const held = (await database.db.select().from(roleGrants).where(eq(roleGrants.userId, userId))).map((grant) => grant.customRoleId ?? grant.roleKey);
    expect(held.sort()).toEqual([groupId, "member"].sort());
    // Names the Roles page would refuse are refused here too.
    expect((await entra("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "x".repeat(101) })).body).toMatchObject({ status: "400", scimType: "invalidValue" });
  });

  it("deletes a group (hard delete): the custom role is gone and its members keep their other roles; a predefined role's group is 400 mutability", async () => {
    const [group] = (await entra("GET", `/Groups?filter=${filter('displayName eq "displayName"')}`)).body.Resources ?? [];
    const groupId = String(group.id);
    expect((await entra("DELETE", `/Groups/${groupId}`)).status).toBe(204);
    expect(await database.db.select().from(customRoles).where(eq(customRoles.id, groupId))).toEqual([]);
    expect((await entra("GET", `/Groups/${groupId}`)).status).toBe(404);
    expect((await database.db.select().from(roleGrants).where(eq(roleGrants.userId, userId))).map((grant) => grant.roleKey)).toEqual(["member"]);
    const refused = await entra("DELETE", "/Groups/admin");
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ scimType: "mutability" });
  });

  it("keeps a group an access rule gives: 409 saying so, and nothing changes", async () => {
    const created = await entra("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Plant crew" });
    const groupId = String(created.body.id);
    const [property] = await database.db.insert(userProperties).values({ accountId: admin.accountId, key: "site", label: "Site", type: "text" }).returning();
    await database.db.insert(accessRules).values({ accountId: admin.accountId, name: "Plant", propertyId: property.id, value: "Plant 1", customRoleId: groupId });
    const reply = await entra("DELETE", `/Groups/${groupId}`);
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({ detail: "Plant crew is given by an access rule: change or delete it first." });
    expect(await database.db.select().from(customRoles).where(eq(customRoles.id, groupId))).toHaveLength(1);
  });

  it("keeps the last Admin: disabling them is refused with 409", async () => {
    const reply = await entra("PATCH", `/Users/${admin.id}`, { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: false }] });
    expect(reply.status).toBe(409);
    expect((await database.db.select().from(users).where(eq(users.id, admin.id)))[0].status).toBe("active");
  });

  it("deletes the user with 204", async () => {
    expect((await entra("DELETE", `/Users/${userId}`)).status).toBe(204);
    expect((await entra("GET", `/Users/${userId}`)).status).toBe(404);
  });
});

describe("DELETE anonymises when the account chose so (B3, T4)", () => {
  it("a deleted person's name, address and what Entra knew them by are gone; their content and trail stay; the same address comes back as someone new", async () => {
    const contosoId = admin.accountId;
    const created = await entra("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      externalId: "b7c1-erin-entra",
      userName: "Erin.Example@contoso.onmicrosoft.example",
      emails: [{ primary: true, type: "work", value: "erin.example@contoso.test" }],
      name: { givenName: "Erin", familyName: "Example" },
      active: true,
    });
    expect(created.status).toBe(201);
    const erinId = String(created.body.id);
    const session = await createSession(database.db, { userId: erinId, maxAgeSeconds: 3600, ip: null, userAgent: "Edge" });
    // Chosen on Provisioning (step-up there); audited.
    await database.db.transaction((tx) => setScimDeleteAction(tx, { principal: currentUserOf(admin), request }, { action: "anonymise" }));
    expect(await database.db.select({ action: auditEvents.action, details: auditEvents.details }).from(auditEvents).where(eq(auditEvents.action, "scim.delete_action_changed"))).toEqual([
      { action: "scim.delete_action_changed", details: { before: "disable", after: "anonymise" } },
    ]);

    expect((await entra("DELETE", `/Users/${erinId}`)).status).toBe(204);
    expect((await entra("GET", `/Users/${erinId}`)).status).toBe(404);
    const [erin] = await database.db.select().from(users).where(eq(users.id, erinId));
    expect(erin).toMatchObject({ status: "disabled", name: expect.stringMatching(/^Former member [0-9A-F]{4}$/), email: expect.stringMatching(/@anonymised\.invalid$/) });
    // The session ended with the rest.
    expect(await findSessionPrincipal(database.db, session, { idleMinutes: 60 })).toBeNull();
    const [identity] = await database.db.select().from(scimIdentities).where(eq(scimIdentities.userId, erinId));
    expect(identity).toMatchObject({ userName: erin.email, externalId: null, givenName: null, familyName: null, deletedAt: expect.any(Date) });
    const trail = await database.db.select({ action: auditEvents.action, details: auditEvents.details }).from(auditEvents).where(eq(auditEvents.targetId, erinId));
    expect(trail.map((row) => row.action)).toEqual(["member.added", "member.anonymised", "member.deleted_by_idp"]);
    expect(JSON.stringify(trail)).not.toMatch(/erin|Erin|b7c1/);
    expect((await verifyAuditChain(database.db, contosoId)).broken).toBeNull();

    // The same address again: someone new, not the placeholder brought back.
    const again = await entra("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "erin.example@contoso.test", active: true });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(erinId);
    await database.db.transaction((tx) => setScimDeleteAction(tx, { principal: currentUserOf(admin), request }, { action: "disable" }));
  });
});

describe("SCIM requests an IdP should not send (B3)", () => {
  it("401 in the error schema for no token, a wrong one, an API key and a revoked one", async () => {
    for (const bad of [null, "scim_nope", `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, "rst_0123456789012345678901234567890123456789"]) {
      const reply = await scimRequest(bad, "GET", "/Users");
      expect(reply.status).toBe(401);
      expect(reply.contentType).toMatch(/^application\/scim\+json/);
      expect(reply.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
    }
    const doomed = (await database.db.transaction((tx) => createScimToken(tx, { principal: currentUserOf(admin), request }, { name: "Old" }))).token;
    expect((await scimRequest(doomed, "GET", "/ServiceProviderConfig")).status).toBe(200);
    const [row] = await database.db.select().from(scimTokens).where(eq(scimTokens.prefix, doomed.slice(0, 12)));
    await database.db.transaction((tx) => revokeScimToken(tx, { principal: currentUserOf(admin), request }, { tokenId: row.id }));
    expect((await scimRequest(doomed, "GET", "/ServiceProviderConfig")).status).toBe(401);
  });

  it("404 for another account's user, whatever the verb; nothing changes there", async () => {
    for (const [method, body] of [
      ["GET", undefined],
      ["PATCH", { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] }],
      ["PUT", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "otto@fabrikam.test", active: false }],
      ["DELETE", undefined],
    ] as const) {
      const reply = await scimRequest(token, method, `/Users/${otherMember.id}`, body);
      expect(reply.status).toBe(404);
    }
    const intoGroup = await scimRequest(token, "PATCH", "/Groups/manager", { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: otherMember.id }] }] });
    expect(intoGroup.status).toBe(404);
    expect((await database.db.select().from(users).where(eq(users.id, otherMember.id)))[0].status).toBe("active");
    expect((await database.db.select().from(roleGrants).where(eq(roleGrants.userId, otherMember.id))).map((grant) => grant.roleKey)).toEqual(["member"]);
    const listed = await scimRequest(otherToken, "GET", "/Users");
    expect((listed.body.Resources ?? []).map((user) => user.userName).sort()).toEqual(["admin@fabrikam.test", "otto@fabrikam.test"]);
  });

  it("400 invalidFilter for filters it does not answer, invalidSyntax for a malformed PATCH", async () => {
    for (const expression of ['userName sw "a"', 'userName eq "a" or userName eq "b"', 'title eq "x"', "userName eq", 'emails[type eq "work"].value eq "x"']) {
      const reply = await scimRequest(token, "GET", `/Users?filter=${filter(expression)}`);
      expect(reply.status, expression).toBe(400);
      expect(reply.body).toMatchObject({ scimType: "invalidFilter" });
    }
    const noSchema = await scimRequest(token, "PATCH", `/Users/${admin.id}`, { Operations: [{ op: "replace", value: { active: true } }] });
    expect(noSchema.body).toMatchObject({ status: "400", scimType: "invalidSyntax" });
    const badOp = await scimRequest(token, "PATCH", `/Users/${admin.id}`, { schemas: [PATCH_OP], Operations: [{ op: "frob", path: "active", value: true }] });
    expect(badOp.body).toMatchObject({ status: "400", scimType: "invalidSyntax" });
    const badBoolean = await scimRequest(token, "PATCH", `/Users/${admin.id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: "maybe" }] });
    expect(badBoolean.body).toMatchObject({ status: "400", scimType: "invalidValue" });
  });

  it("a PUT without active leaves a disabled member disabled", async () => {
    const created = await scimRequest(token, "POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "leaver@contoso.test", active: false });
    expect(created.body).toMatchObject({ active: false });
    const replaced = await scimRequest(token, "PUT", `/Users/${String(created.body.id)}`, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "leaver@contoso.test", displayName: "Lee Leaver" });
    expect(replaced.body).toMatchObject({ active: false, displayName: "Lee Leaver" });
  });

  it("pages with startIndex and count", async () => {
    const all = await scimRequest(token, "GET", "/Users");
    const total = Number(all.body.totalResults);
    expect(total).toBeGreaterThan(0);
    const page = await scimRequest(token, "GET", "/Users?startIndex=2&count=1");
    expect(page.body).toMatchObject({ totalResults: total, startIndex: 2 });
    expect(page.body.Resources?.length).toBe(Math.min(1, total - 1));
  });

  it("serves the discovery documents", async () => {
    expect((await scimRequest(token, "GET", "/ServiceProviderConfig")).body).toMatchObject({ patch: { supported: true }, filter: { supported: true }, bulk: { supported: false } });
    expect(((await scimRequest(token, "GET", "/ResourceTypes")).body.Resources ?? []).map((type) => type.id)).toEqual(["User", "Group"]);
    expect((await scimRequest(token, "GET", "/Schemas")).body).toMatchObject({ totalResults: 2 });
  });

  it("invites by email in an account without an identity provider", async () => {
    const fabrikamId = otherAdmin.accountId;
    const reply = await scimRequest(otherToken, "POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "new.person@fabrikam.test", name: { givenName: "New", familyName: "Person" }, active: true });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ active: true, emails: [{ value: "new.person@fabrikam.test" }] });
    const [row] = await database.db.select().from(users).where(eq(users.email, "new.person@fabrikam.test"));
    expect(row).toMatchObject({ status: "invited", accountId: fabrikamId });
    const mail = await database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, "new.person@fabrikam.test"));
    expect(mail.map((m) => m.kind)).toEqual(["invitation"]);
  });
});
