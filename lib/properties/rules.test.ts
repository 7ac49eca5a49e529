import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rolesOfMember } from "@/db/queries/roles";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { can } from "@/lib/auth/principal";
import { grantLabel } from "@/lib/auth/permissions";
import { createUnit } from "@/lib/org-units/units";
import { revokeInvitation } from "@/lib/team/invitations";
import { setMemberRoles } from "@/lib/team/roles";
import { defineProperty, setMemberProperties } from "./properties";
import { createRule, deleteRule, previewRule, updateRule } from "./rules";

// A7: access rules on a real database — a rule gives its role to whoever matches, takes it
// back when they stop matching (a value, the rule, or its deletion), on a unit when it
// says so; its grants cannot be removed by hand; every grant and removal is audited.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
let ada: User, sam: User, kim: User;
let site: string;
let plant: string;
const request = { ip: "203.0.113.7", userAgent: "vitest" };
const as = async (user: User) => ({ principal: await principalFromDatabase(database.db, user), request });
type Tx = Parameters<Parameters<typeof database.db.transaction>[0]>[0];
type Actor = Awaited<ReturnType<typeof as>>;
const act = async <I, T>(by: User, operation: (tx: Tx, actor: Actor, input: I) => Promise<T>, input: I) => {
  const actor = await as(by);
  return database.db.transaction((tx) => operation(tx, actor, input));
};
const refusalOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    if (error instanceof ActionRefusal) return error.message;
    throw error;
  }
  return null;
};
const rolesOf = async (user: User) => (await rolesOfMember(database.db, user.id)).map((role) => `${grantLabel(role)}${role.rule ? ` by rule ${role.rule.name}` : ""}`);
const setSite = (user: User, value: string) => act(ada, setMemberProperties, { userId: user.id, values: { [site]: value } });
const ruleEvents = async () =>
  (await database.db.select().from(auditEvents).where(and(eq(auditEvents.accountId, accountId), inArray(auditEvents.action, ["rule.granted", "rule.revoked"])))).map(
    (event) => `${event.action} ${(event.details as { email: string }).email} ${(event.details as { role: string }).role} (${(event.details as { rule: string }).rule})`,
  );

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Rules Co" }).returning();
  accountId = account.id;
  [ada, sam, kim] = await insertMembers(database.db, [
    { accountId, email: "ada@rules.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId, email: "sam@rules.test", name: "Sam", status: "active", passwordHash: "x", roles: ["viewer"] },
    { accountId, email: "kim@rules.test", name: "Kim", status: "active", passwordHash: "x", roles: ["viewer"] },
  ]);
  site = (await act(ada, defineProperty, { key: "site", label: "Site", type: "choice", choices: ["Toulouse", "Lyon"] })).id;
  plant = (await act(ada, createUnit, { name: "Toulouse plant", parentId: null })).id;
});
afterAll(() => database.close());

describe("access rules (A7)", () => {
  it("previews who would gain a role before the rule is saved, writing nothing", async () => {
    await setSite(sam, "Toulouse");
    const preview = await previewRule(database.db, await as(ada), { ruleId: null, name: "Toulouse managers", propertyId: site, value: "Toulouse", role: "manager", unitId: null });
    expect(preview).toEqual({ gain: [{ email: "sam@rules.test", name: "Sam", role: "Manager" }], lose: [] });
    expect(await rolesOf(sam)).toEqual(["Viewer"]);
  });

  it("gives the role to whoever matches, and takes it back when their value changes — audited with the rule's name", async () => {
    const rule = await act(ada, createRule, { name: "Toulouse managers", propertyId: site, value: "Toulouse", role: "manager", unitId: null });
    expect(rule.granted).toBe(1);
    expect(await rolesOf(sam)).toEqual(["Viewer", "Manager by rule Toulouse managers"]);
    const principal = await principalFromDatabase(database.db, sam);
    expect(can(principal, "content.edit_all")).toBe(true);

    await setSite(kim, "Toulouse");
    expect(await rolesOf(kim)).toContain("Manager by rule Toulouse managers");
    await setSite(kim, "Lyon");
    expect(await rolesOf(kim)).toEqual(["Viewer"]);
    expect(can(await principalFromDatabase(database.db, kim), "content.edit_all")).toBe(false);
    expect(await ruleEvents()).toEqual([
      "rule.granted sam@rules.test Manager (Toulouse managers)",
      "rule.granted kim@rules.test Manager (Toulouse managers)",
      "rule.revoked kim@rules.test Manager (Toulouse managers)",
    ]);
  });

  it("refuses removing a rule's grant by hand, naming the rule", async () => {
    const message = await refusalOf(act(ada, setMemberRoles, { userId: sam.id, roles: ["viewer"] }));
    expect(message).toMatch(/Manager is given by rule “Toulouse managers”: it cannot be removed by hand/);
    expect(await rolesOf(sam)).toEqual(["Viewer", "Manager by rule Toulouse managers"]);
    // Sending it back unchanged is no change, and the other roles still change by hand.
    await act(ada, setMemberRoles, { userId: sam.id, roles: ["member", "manager"] });
    expect(await rolesOf(sam)).toEqual(["Manager by rule Toulouse managers", "Member"]);
  });

  it("follows an edit of the rule: a role on a unit instead, the old grant gone", async () => {
    const [rule] = (await database.db.query.accessRules.findMany()).filter((r) => r.name === "Toulouse managers");
    const preview = await previewRule(database.db, await as(ada), { ruleId: rule.id, name: "Toulouse plant admins", propertyId: site, value: "Toulouse", role: "restricted_admin", unitId: plant });
    expect(preview.gain.map((row) => `${row.email} ${row.role}`)).toEqual(["sam@rules.test Restricted administrator (Toulouse plant)"]);
    expect(preview.lose.map((row) => `${row.email} ${row.role}`)).toEqual(["sam@rules.test Manager"]);
    expect(await rolesOf(sam)).toContain("Manager by rule Toulouse managers");

    await act(ada, updateRule, { ruleId: rule.id, name: "Toulouse plant admins", propertyId: site, value: "Toulouse", role: "restricted_admin", unitId: plant });
    expect(await rolesOf(sam)).toEqual(["Member", "Restricted administrator (Toulouse plant) by rule Toulouse plant admins"]);
    const principal = await principalFromDatabase(database.db, sam);
    expect(can(principal, "members.manage", { accountId, units: [plant] })).toBe(true);
    expect(can(principal, "members.manage", { accountId })).toBe(false);
  });

  it("takes every grant back when the rule is deleted, audited", async () => {
    const [rule] = await database.db.query.accessRules.findMany();
    const deleted = await act(ada, deleteRule, { ruleId: rule.id });
    expect(deleted.revoked).toBe(1);
    expect(await rolesOf(sam)).toEqual(["Member"]);
    expect((await ruleEvents()).at(-1)).toBe("rule.revoked sam@rules.test Restricted administrator (Toulouse plant) (Toulouse plant admins)");
  });

  it("refuses a rule giving a role the actor does not hold, and a value not among the choices", async () => {
    const [restricted] = await insertMembers(database.db, [{ accountId, email: "rae@rules.test", name: "Rae", status: "active", passwordHash: "x", roles: ["restricted_admin"] }]);
    expect(await refusalOf(act(restricted, createRule, { name: "Lyon admins", propertyId: site, value: "Lyon", role: "admin", unitId: null }))).toMatch(/cannot make a rule that gives the Admin role/);
    expect(await refusalOf(act(ada, createRule, { name: "Paris", propertyId: site, value: "Paris", role: "member", unitId: null }))).toMatch(/“Paris” is not one of Toulouse, Lyon/);
  });

  it("takes a rule's grant back, audited, when an invitation is revoked and the invitee leaves the account", async () => {
    const [ivy] = await insertMembers(database.db, [{ accountId, email: "ivy@rules.test", name: "Ivy", status: "invited", passwordHash: null, roles: ["viewer"] }]);
    await act(ada, createRule, { name: "Lyon managers", propertyId: site, value: "Lyon", role: "manager", unitId: null });
    await setSite(ivy, "Lyon");
    expect(await rolesOf(ivy)).toContain("Manager by rule Lyon managers");
    await act(ada, revokeInvitation, { userId: ivy.id });
    expect((await ruleEvents()).at(-1)).toBe("rule.revoked ivy@rules.test Manager (Lyon managers)");
  });

  it("refuses a value that would give, through a rule, a role the one setting it could not give — their own value or a report's", async () => {
    const [rex, tia] = await insertMembers(database.db, [
      { accountId, email: "rex@rules.test", name: "Rex", status: "active", passwordHash: "x", roles: ["restricted_admin"] },
      { accountId, email: "tia@rules.test", name: "Tia", status: "active", passwordHash: "x", roles: ["viewer"] },
    ]);
    const rule = await act(ada, createRule, { name: "Toulouse admins", propertyId: site, value: "Toulouse", role: "admin", unitId: null });
    try {
      for (const who of [rex, tia]) {
        expect(await refusalOf(act(rex, setMemberProperties, { userId: who.id, values: { [site]: "Toulouse" } }))).toBe(
          `This would give Admin to ${who.name} through the access rule “Toulouse admins”, which you could not do yourself. Ask someone who can to change this value.`,
        );
      }
      // Nothing was written: no value, no grant.
      expect(await rolesOf(rex)).toEqual(["Restricted administrator"]);
      expect(await rolesOf(tia)).toEqual(["Viewer"]);
      // An Admin may; Rex then does not outrank Tia at all.
      await setSite(tia, "Toulouse");
      expect(await rolesOf(tia)).toContain("Admin by rule Toulouse admins");
      expect(await refusalOf(act(rex, setMemberProperties, { userId: tia.id, values: { [site]: "" } }))).toMatch(/^You cannot change the properties of/);
    } finally {
      await setSite(tia, "");
      await act(ada, deleteRule, { ruleId: rule.id });
    }
  });
});
