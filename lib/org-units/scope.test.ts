import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findVisibleMember, listMembers } from "@/db/queries/members";
import { rolesOfMember } from "@/db/queries/roles";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase, wholeAccountViewer } from "@/db/testing";
import { accounts, roleGrants, users, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { can, memberScope, outranks } from "@/lib/auth/principal";
import { inviteMember } from "@/lib/team/invitations";
import { disableMember } from "@/lib/team/members";
import { setMemberRoles } from "@/lib/team/roles";
import { addMemberToUnit, removeMemberFromUnit } from "./members";
import { createUnit } from "./units";

// A4: a role given on a unit covers that unit and every unit below it — never above or
// beside. The Restricted administrator of EMEA sees and manages only EMEA's members; the
// rest of the account is "not found" to them, in lists, counts, search and lookups alike.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
let ada: User, rita: User, hans: User, pia: User, sofia: User, bob: User, nobody: User, oscar: User;
const units: Record<string, string> = {};
const request = { ip: "203.0.113.8", userAgent: "vitest" };
const as = async (user: User) => ({ principal: await principalFromDatabase(database.db, user), request });
type Tx = Parameters<Parameters<typeof database.db.transaction>[0]>[0];
const act = async <I, T>(by: User, operation: (tx: Tx, actor: Awaited<ReturnType<typeof as>>, input: I) => Promise<T>, input: I) => {
  const actor = await as(by);
  return database.db.transaction((tx) => operation(tx, actor, input));
};
const refusalOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    if (error instanceof ActionRefusal) return { code: error.code, message: error.message };
    throw error;
  }
  return null;
};
const scopeOf = async (member: User) => {
  const found = await findVisibleMember(database.db, wholeAccountViewer(member), {}, member.id);
  return memberScope(found!);
};
const emails = (rows: { email: string }[]) => rows.map((row) => row.email).sort();

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Acme Units" }).returning();
  accountId = account.id;
  const person = (local: string, name: string, roles: string[] = ["member"]) => ({ accountId, email: `${local}@units.test`, name, status: "active" as const, passwordHash: "x", roles });
  [ada, rita, hans, pia, sofia, bob, nobody, oscar] = await insertMembers(database.db, [
    person("ada", "Ada Admin", ["admin"]),
    person("rita", "Rita Regional"),
    person("hans", "Hans Germany"),
    person("pia", "Pia Plant"),
    person("sofia", "Sofia Acme"),
    person("bob", "Bob Americas"),
    person("nobody", "Nobody Unplaced"),
    person("oscar", "Oscar Overall", ["admin"]),
  ]);
  for (const [name, parent] of [["Acme", null], ["EMEA", "Acme"], ["Germany", "EMEA"], ["Plant 2", "Germany"], ["Americas", "Acme"]] as const) {
    units[name] = (await act(ada, createUnit, { name, parentId: parent ? units[parent] : null })).id;
  }
  for (const [who, unit] of [[rita, "EMEA"], [hans, "Germany"], [pia, "Plant 2"], [sofia, "Acme"], [bob, "Americas"], [oscar, "Germany"]] as const) {
    await act(ada, addMemberToUnit, { userId: who.id, unitId: units[unit] });
  }
  // Rita: Restricted administrator of EMEA (and a Member of the account, as everyone).
  await database.db.insert(roleGrants).values({ accountId, userId: rita.id, roleKey: "restricted_admin", unitId: units.EMEA });
});
afterAll(() => database.close());

describe("can() with a role on a unit (A4)", () => {
  it("covers the unit and everything below it, never above or beside it, and never the account as a whole", async () => {
    const principal = await principalFromDatabase(database.db, rita);
    expect(can(principal, "members.manage", await scopeOf(hans))).toBe(true);
    expect(can(principal, "members.manage", await scopeOf(pia))).toBe(true);
    expect(can(principal, "members.manage", await scopeOf(sofia))).toBe(false);
    expect(can(principal, "members.manage", await scopeOf(bob))).toBe(false);
    expect(can(principal, "members.manage", await scopeOf(nobody))).toBe(false);
    // The surface opens (they have members to manage), but nothing account-wide is theirs.
    expect(can(principal, "members.read")).toBe(true);
    expect(can(principal, "members.read", { accountId })).toBe(false);
    // A unit grant confers only what has a meaning on a unit: their work is their account-wide Member role's.
    expect(can(principal, "security.manage")).toBe(false);
    expect(can(principal, "content.create", { accountId })).toBe(true);
  });

  it("weighs a member's own unit grants where they are: a unit administrator outranks one below, not an account's Admin", async () => {
    const principal = await principalFromDatabase(database.db, rita);
    const germanyAdmin = [{ permissions: ["members.read", "members.manage"], unit: { line: [units.Germany, units.EMEA, units.Acme] } }];
    const americasAdmin = [{ permissions: ["members.read", "members.manage"], unit: { line: [units.Americas, units.Acme] } }];
    expect(outranks(principal, { grants: germanyAdmin })).toBe(true);
    expect(outranks(principal, { grants: americasAdmin })).toBe(false);
    expect(outranks(principal, { grants: await rolesOfMember(database.db, oscar.id) })).toBe(false);
  });
});

describe("the team as a unit administrator sees it (A4)", () => {
  it("lists, counts and searches only the members of their units, each once", async () => {
    await act(ada, addMemberToUnit, { userId: hans.id, unitId: units["Plant 2"] });
    const principal = await principalFromDatabase(database.db, rita);
    const page = await listMembers(database.db, principal, {});
    expect(emails(page.rows)).toEqual(["hans@units.test", "oscar@units.test", "pia@units.test", "rita@units.test"]);
    expect(page.total).toBe(4);
    expect((await listMembers(database.db, principal, {}, { search: "bob" })).total).toBe(0);
    expect((await listMembers(database.db, principal, {}, { status: "active" })).total).toBe(4);
    expect((await listMembers(database.db, principal, {}, { role: "member" })).total).toBe(3);
    // Page 2 (the hashed way) shows the same members.
    const paged = [...(await listMembers(database.db, principal, {}, { pageSize: 2 })).rows, ...(await listMembers(database.db, principal, {}, { pageSize: 2, page: 2 })).rows];
    expect(emails(paged)).toEqual(emails(page.rows));
  });

  it("filters by a unit within theirs, and finds nobody through a unit above or beside theirs", async () => {
    const principal = await principalFromDatabase(database.db, rita);
    expect(emails((await listMembers(database.db, principal, {}, { unit: units.Germany })).rows)).toEqual(["hans@units.test", "oscar@units.test", "pia@units.test"]);
    expect((await listMembers(database.db, principal, {}, { unit: units.Germany })).total).toBe(3);
    // Above: Acme narrows to their own EMEA.
    expect((await listMembers(database.db, principal, {}, { unit: units.Acme })).total).toBe(4);
    expect((await listMembers(database.db, principal, {}, { unit: units.Americas })).total).toBe(0);
    expect((await listMembers(database.db, principal, {}, { unit: units.Americas })).rows).toEqual([]);
  });

  it("lets the account's Admin filter by any unit, including everything below it", async () => {
    const principal = await principalFromDatabase(database.db, ada);
    // Everyone in a unit; Ada and Nobody are in none.
    expect(emails((await listMembers(database.db, principal, {}, { unit: units.Acme })).rows)).toEqual(["bob@units.test", "hans@units.test", "oscar@units.test", "pia@units.test", "rita@units.test", "sofia@units.test"]);
    expect((await listMembers(database.db, principal, {}, { unit: units.Acme, status: "active" })).total).toBe(6);
    expect((await listMembers(database.db, principal, {}, { unit: "not-a-uuid" })).total).toBe(0);
    const [other] = await database.db.insert(accounts).values({ name: "Elsewhere" }).returning();
    const [olga] = await insertMembers(database.db, [{ accountId: other.id, email: "olga@else.test", name: "Olga", status: "active", passwordHash: "x", roles: ["admin"] }]);
    expect((await listMembers(database.db, await principalFromDatabase(database.db, olga), {}, { unit: units.EMEA })).total).toBe(0);
  });

  it("reads a member outside their units as not found, and one inside as theirs to manage", async () => {
    expect(await refusalOf(act(rita, disableMember, { userId: bob.id }))).toEqual({ code: "not_found", message: "No such member in this account." });
    expect(await refusalOf(act(rita, disableMember, { userId: sofia.id }))).toMatchObject({ code: "not_found" });
    expect(await refusalOf(act(rita, disableMember, { userId: nobody.id }))).toMatchObject({ code: "not_found" });
    // Inside but an Admin of the account: seen, not managed.
    expect(await refusalOf(act(rita, disableMember, { userId: oscar.id }))).toMatchObject({ code: "forbidden" });
    expect(await act(rita, disableMember, { userId: pia.id })).toMatchObject({ status: "disabled" });
    await database.db.update(users).set({ status: "active", disabledAt: null }).where(eq(users.id, pia.id));
  });
});

describe("roles and units given by a unit administrator (A4)", () => {
  it("gives roles on their units only, never for the whole account nor beyond what they hold", async () => {
    // Their own role on a unit below theirs: yes.
    expect(await act(rita, setMemberRoles, { userId: hans.id, roles: ["member"], unitRoles: [{ role: "restricted_admin", unitId: units.Germany }] })).toMatchObject({
      changed: true,
      after: ["Member", "Restricted administrator (Germany)"],
    });
    // For the whole account: refused, saying where it can go.
    expect(await refusalOf(act(rita, setMemberRoles, { userId: pia.id, roles: ["member", "restricted_admin"] }))).toEqual({
      code: "forbidden",
      message: "You cannot give or take the Restricted administrator role: it has permissions you do not hold for the whole account (give it on one of your units instead).",
    });
    // Admin on a unit confers "Manage organisation units", which Rita does not hold.
    expect(await refusalOf(act(rita, setMemberRoles, { userId: pia.id, roles: ["member"], unitRoles: [{ role: "admin", unitId: units["Plant 2"] }] }))).toMatchObject({ code: "forbidden" });
    // On a unit beside theirs: not found.
    expect(await refusalOf(act(rita, setMemberRoles, { userId: pia.id, roles: ["member"], unitRoles: [{ role: "restricted_admin", unitId: units.Americas }] }))).toMatchObject({
      code: "not_found",
      message: "No such unit in this account.",
    });
    // A role with nothing to give on a unit.
    expect(await refusalOf(act(ada, setMemberRoles, { userId: pia.id, roles: ["member"], unitRoles: [{ role: "viewer", unitId: units["Plant 2"] }] }))).toMatchObject({ code: "invalid" });
    // What the account-wide Member role gives, they hold for the whole account: theirs to give.
    expect(await act(rita, setMemberRoles, { userId: pia.id, roles: ["member", "viewer"] })).toMatchObject({ changed: true });
  });

  it("keeps roles on units when only the account's roles change, and an Admin on a unit is not the account's Admin", async () => {
    await act(ada, setMemberRoles, { userId: hans.id, roles: ["member", "developer"] });
    expect((await rolesOfMember(database.db, hans.id)).map((role) => `${role.key}${role.unit ? `@${role.unit.name}` : ""}`).sort()).toEqual(["developer", "member", "restricted_admin@Germany"]);
    await act(ada, setMemberRoles, { userId: hans.id, roles: ["member"], unitRoles: [{ role: "admin", unitId: units.Germany }] });
    // Ada is the only Admin of the account as a whole: she cannot give it up, Hans's Admin of Germany notwithstanding.
    await act(ada, setMemberRoles, { userId: oscar.id, roles: ["member"] });
    expect(await refusalOf(act(ada, setMemberRoles, { userId: ada.id, roles: ["member"] }))).toMatchObject({ message: "An account must keep at least one active Admin." });
  });

  it("counts a role's holders once, however many places they hold it", async () => {
    await act(ada, setMemberRoles, {
      userId: pia.id,
      roles: ["member", "restricted_admin"],
      unitRoles: [
        { role: "restricted_admin", unitId: units.Germany },
        { role: "restricted_admin", unitId: units["Plant 2"] },
      ],
    });
    const admin = await principalFromDatabase(database.db, ada);
    const holders = await listMembers(database.db, admin, {}, { role: "restricted_admin" });
    expect(emails(holders.rows)).toEqual(["pia@units.test", "rita@units.test"]);
    expect(holders.total).toBe(2);
    await act(ada, setMemberRoles, { userId: pia.id, roles: ["member", "viewer"], unitRoles: [] });
  });

  it("puts people only in their units and invites only into them", async () => {
    expect(await act(rita, addMemberToUnit, { userId: pia.id, unitId: units.Germany })).toEqual({ who: "Pia Plant", unit: "Germany" });
    expect(await refusalOf(act(rita, addMemberToUnit, { userId: pia.id, unitId: units.Americas }))).toMatchObject({ code: "not_found" });
    expect(await refusalOf(act(rita, addMemberToUnit, { userId: bob.id, unitId: units.Germany }))).toMatchObject({ code: "not_found", message: "No such member in this account." });
    expect(await refusalOf(act(rita, inviteMember, { email: "new@units.test", name: "", roles: ["member"] }))).toMatchObject({
      code: "invalid",
      message: "Choose the unit they join: you add people only to the units you administer.",
    });
    const invited = await act(rita, inviteMember, { email: "new@units.test", name: "", roles: ["member"], unitId: units["Plant 2"] });
    const principal = await principalFromDatabase(database.db, rita);
    expect(emails((await listMembers(database.db, principal, {}, { unit: units["Plant 2"] })).rows)).toContain("new@units.test");
    expect(invited.userId).toBeTruthy();
  });

  it("loses sight of someone taken out of their units", async () => {
    await act(ada, addMemberToUnit, { userId: bob.id, unitId: units["Plant 2"] });
    const before = await listMembers(database.db, await principalFromDatabase(database.db, rita), {});
    expect(emails(before.rows)).toContain("bob@units.test");
    await act(rita, removeMemberFromUnit, { userId: bob.id, unitId: units["Plant 2"] });
    const after = await listMembers(database.db, await principalFromDatabase(database.db, rita), {});
    expect(emails(after.rows)).not.toContain("bob@units.test");
    expect(await refusalOf(act(rita, removeMemberFromUnit, { userId: bob.id, unitId: units.Americas }))).toMatchObject({ code: "not_found" });
  });
});
