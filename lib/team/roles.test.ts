import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findMemberPrincipal } from "@/db/queries/principals";
import { rolesOfMember } from "@/db/queries/roles";
import { insertMembers } from "@/db/queries/users";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, emailOutbox, users, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { toPrincipal } from "@/lib/auth/principal";
import { enqueueEmail } from "@/lib/email";
import { createCustomRole, deleteCustomRole, updateCustomRole } from "./custom-roles";
import { disableMember } from "./members";
import { setMemberRoles } from "./roles";
import { setTwoFactorEnforcement } from "./security-policy";
import { createWorkstation } from "./workstations";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let ada: User, bea: User, rita: User, sam: User, accountId: string;
const request = { ip: "203.0.113.5", userAgent: "vitest" };
const as = (user: User, overrides = {}) => ({ principal: currentUserOf(user, overrides), request });
const keysOf = async (user: { id: string }) => (await rolesOfMember(database.db, user.id)).map((role) => role.key).sort();
const refusalOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    if (error instanceof ActionRefusal) return { code: error.code, message: error.message };
    throw error;
  }
  return null;
};
const inTx = <T>(work: (tx: Parameters<Parameters<typeof database.db.transaction>[0]>[0]) => Promise<T>) => database.db.transaction(work);

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Roles Inc" }).returning();
  accountId = account.id;
  [ada, bea, rita, sam] = await insertMembers(database.db, [
    { accountId, email: "ada@roles.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"], totpEnabledAt: new Date() },
    { accountId, email: "bea@roles.test", name: "Bea", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId, email: "rita@roles.test", name: "Rita", status: "active", passwordHash: "x", roles: ["restricted_admin"] },
    { accountId, email: "sam@roles.test", name: "Sam", status: "active", passwordHash: "x", roles: ["member"] },
  ]);
});
afterAll(() => database.close());

describe("changing roles (A3)", () => {
  it("gives several roles at once, audited with before and after, and the principal's permissions are their union", async () => {
    const result = await inTx((tx) => setMemberRoles(tx, as(ada), { userId: sam.id, roles: ["member", "developer"] }));
    expect(result).toMatchObject({ changed: true, before: ["Member"], after: ["Member", "Developer"] });
    expect(await keysOf(sam)).toEqual(["developer", "member"]);
    const [audit] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "member.roles_changed"), eq(auditEvents.targetId, sam.id)));
    expect(audit.details).toMatchObject({ before: ["Member"], after: ["Member", "Developer"] });
    const principal = toPrincipal((await findMemberPrincipal(database.db, accountId, sam.id))!, { kind: "lookup" });
    expect(principal.permissions.has("apps.deploy")).toBe(true);
    expect(principal.permissions.has("members.read")).toBe(false);
  });

  it("refuses a Restricted administrator giving or taking Admin, or acting on an Admin", async () => {
    expect(await refusalOf(inTx((tx) => setMemberRoles(tx, as(rita), { userId: sam.id, roles: ["admin"] })))).toMatchObject({ code: "forbidden" });
    expect(await refusalOf(inTx((tx) => setMemberRoles(tx, as(rita), { userId: bea.id, roles: ["member"] })))).toMatchObject({ code: "forbidden" });
    expect(await refusalOf(inTx((tx) => disableMember(tx, as(rita), { userId: bea.id })))).toMatchObject({ code: "forbidden" });
    // Taking Developer away is giving and taking a permission Rita lacks (deploying apps).
    expect(await refusalOf(inTx((tx) => setMemberRoles(tx, as(rita), { userId: sam.id, roles: ["member"] })))).toMatchObject({
      code: "forbidden",
      message: "You cannot give or take the Developer role: it has permissions you do not hold.",
    });
    // What is theirs to give, they give.
    expect(await inTx((tx) => setMemberRoles(tx, as(rita), { userId: sam.id, roles: ["member", "developer", "viewer"] }))).toMatchObject({ changed: true });
    expect(await keysOf(bea)).toEqual(["admin"]);
  });

  it("keeps an active Admin, also when two admins take each other's Admin role at the same moment", async () => {
    const [first, second] = await Promise.allSettled([
      inTx((tx) => setMemberRoles(tx, as(ada), { userId: bea.id, roles: ["member"] })),
      inTx((tx) => setMemberRoles(tx, as(bea), { userId: ada.id, roles: ["member"] })),
    ]);
    const outcomes = [first, second].map((o) => (o.status === "fulfilled" ? "changed" : (o.reason as Error).message));
    expect(outcomes.sort()).toEqual(["An account must keep at least one active Admin.", "changed"]);
    const admins = [(await keysOf(ada)).includes("admin"), (await keysOf(bea)).includes("admin")];
    expect(admins.filter(Boolean)).toHaveLength(1);
    // Whoever is left the only Admin cannot give the role up either.
    const last = admins[0] ? ada : bea;
    expect(await refusalOf(inTx((tx) => setMemberRoles(tx, as(last), { userId: last.id, roles: ["member"] })))).toMatchObject({ message: "An account must keep at least one active Admin." });
    const other = last === ada ? bea : ada;
    await inTx((tx) => setMemberRoles(tx, as(last), { userId: other.id, roles: ["admin"] }));
  });

  it("refuses roles that are not the account's, and an empty list", async () => {
    const other = (await database.db.insert(accounts).values({ name: "Other" }).returning())[0];
    const theirs = await inTx((tx) => createCustomRole(tx, as(ada, { accountId: other.id }), { name: "Theirs", description: "", permissions: ["content.view"] }));
    expect(await refusalOf(inTx((tx) => setMemberRoles(tx, as(ada), { userId: sam.id, roles: [theirs.id] })))).toMatchObject({ code: "invalid", message: "Choose roles from the list." });
    expect(await refusalOf(inTx((tx) => setMemberRoles(tx, as(ada), { userId: sam.id, roles: [] })))).toMatchObject({ code: "invalid" });
  });
});

describe("custom roles (A3)", () => {
  it("are composed only of permissions their author holds, and cannot be deleted while held", async () => {
    expect(await refusalOf(inTx((tx) => createCustomRole(tx, as(rita), { name: "Sneaky", description: "", permissions: ["security.manage"] })))).toMatchObject({ code: "forbidden" });
    const lead = await inTx((tx) => createCustomRole(tx, as(ada), { name: "Team lead", description: "Sees the team", permissions: ["members.read", "content.view"] }));
    expect(await refusalOf(inTx((tx) => createCustomRole(tx, as(ada), { name: "team LEAD", description: "", permissions: ["content.view"] })))).toMatchObject({ message: "A role with this name already exists." });
    await inTx((tx) => setMemberRoles(tx, as(ada), { userId: sam.id, roles: ["member", lead.id] }));
    const samNow = () => findMemberPrincipal(database.db, accountId, sam.id).then((row) => toPrincipal(row!, { kind: "lookup" }));
    expect((await samNow()).permissions.has("members.read")).toBe(true);

    // Editing the role changes what its holders may do.
    await inTx((tx) => updateCustomRole(tx, as(ada), { roleId: lead.id, name: "Team lead", description: "", permissions: ["content.view"] }));
    expect((await samNow()).permissions.has("members.read")).toBe(false);

    expect(await refusalOf(inTx((tx) => deleteCustomRole(tx, as(ada), { roleId: lead.id })))).toMatchObject({ message: "Team lead is held by 1 person: take it from them first." });
    await inTx((tx) => setMemberRoles(tx, as(ada), { userId: sam.id, roles: ["member"] }));
    expect(await inTx((tx) => deleteCustomRole(tx, as(ada), { roleId: lead.id }))).toEqual({ name: "Team lead" });
  });

  it("need a permission, except an identity provider's new group (B3), which can be renamed before it gets one", async () => {
    expect(await refusalOf(inTx((tx) => createCustomRole(tx, as(ada), { name: "Empty", description: "", permissions: [] })))).toMatchObject({ code: "invalid", message: "Choose at least one permission." });
    const pushed = await inTx((tx) => createCustomRole(tx, as(ada), { name: "Pushed", description: "", permissions: [] }, { withoutPermissions: true }));
    await inTx((tx) => updateCustomRole(tx, as(ada), { roleId: pushed.id, name: "Pushed group", description: "", permissions: [] }));
    await inTx((tx) => updateCustomRole(tx, as(ada), { roleId: pushed.id, name: "Pushed group", description: "", permissions: ["content.view"] }));
    // Once it has permissions, they cannot all be taken away.
    expect(await refusalOf(inTx((tx) => updateCustomRole(tx, as(ada), { roleId: pushed.id, name: "Pushed group", description: "", permissions: [] })))).toMatchObject({ code: "invalid" });
    await inTx((tx) => deleteCustomRole(tx, as(ada), { roleId: pushed.id }));
  });

  it("can be the roles 2FA enforcement applies to (P4)", async () => {
    const auditors = await inTx((tx) => createCustomRole(tx, as(ada), { name: "Auditor", description: "", permissions: ["content.view"] }));
    await inTx((tx) => setMemberRoles(tx, as(ada), { userId: sam.id, roles: ["member", auditors.id] }));
    await inTx((tx) => setTwoFactorEnforcement(tx, as(ada, { twoFactorEnabled: true }), { enabled: true, graceDays: 0, audience: "roles", roles: [auditors.id] }));
    const gateOf = async (user: User) => toPrincipal((await findMemberPrincipal(database.db, accountId, user.id))!, { kind: "lookup" }).twoFactorGate.state;
    expect(await gateOf(sam)).toBe("required");
    expect(await gateOf(bea)).toBe("none");
    await inTx((tx) => setTwoFactorEnforcement(tx, as(ada, { twoFactorEnabled: true }), { enabled: false, graceDays: 0, audience: "everyone", roles: [] }));
    await inTx((tx) => setMemberRoles(tx, as(ada), { userId: sam.id, roles: ["member"] }));
  });
});

describe("shared workstations (A3)", () => {
  it("hold only their role, never become a person, and get no email", async () => {
    const desk = await inTx((tx) => createWorkstation(tx, as(ada), { name: "Front desk — Plant 2", location: "Plant 2" }));
    expect(desk.signInName).toMatch(/^front-desk-plant-2-[a-z0-9x]+@workstation\.invalid$/);
    expect(await keysOf(desk)).toEqual(["shared_workstation"]);
    const [row] = await database.db.select().from(users).where(eq(users.id, desk.id));
    expect(row).toMatchObject({ kind: "workstation", location: "Plant 2", status: "active" });
    expect(row.passwordHash).not.toContain(desk.password);

    for (const roles of [["member"], ["shared_workstation", "viewer"], ["admin"]]) {
      expect(await refusalOf(inTx((tx) => setMemberRoles(tx, as(ada), { userId: desk.id, roles })))).toMatchObject({
        message: expect.stringMatching(/^A shared workstation cannot become a personal account or hold another role/),
      });
    }
    // A person cannot take the workstation role either.
    expect(await refusalOf(inTx((tx) => setMemberRoles(tx, as(ada), { userId: sam.id, roles: ["shared_workstation"] })))).toMatchObject({ code: "invalid" });
    // The outbox refuses any message to it.
    const before = (await database.db.select().from(emailOutbox)).length;
    expect(await inTx((tx) => enqueueEmail(tx, { accountId, to: desk.signInName, subject: "Your tasks", text: "…", kind: "notification" }))).toBeNull();
    expect((await database.db.select().from(emailOutbox)).length).toBe(before);
  });
});
