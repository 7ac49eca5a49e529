import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listApplications, subscriptionsOf } from "@/db/queries/apps";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { applicationAccessOf, setMemberAppRoles, subscribeMember, unsubscribeMember } from "@/lib/apps/access";
import { createUnit } from "@/lib/org-units/units";
import { defineProperty, setMemberProperties } from "./properties";
import { createRule, deleteRule, previewRule } from "./rules";

// A7 + A8: an access rule that gives an app role — a subscription of the rule's own, beside
// any given by hand: it comes and goes with the match, cannot be taken away by hand, and
// when it goes a subscription by hand stays as it was.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
let ada: User, sam: User, kim: User;
let site: string;
let publisher: string;
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
const setSite = (user: User, value: string) => act(ada, setMemberProperties, { userId: user.id, values: { [site]: value } });
/** What the member has, as /api/v1/me and /authorize read it: "Studio: User, Publisher". */
const appsOf = async (user: User) => (await applicationAccessOf(database.db, user.id)).map((app) => `${app.name}: ${app.roles.map((role) => role.name).join(", ")}`);
/** Their rows as stored: by hand, or by which rule. */
const rowsOf = async (user: User) => (await subscriptionsOf(database.db, user.id)).map((row) => `${row.appKey} [${row.appRoleKeys.join(",")}] ${row.ruleName ? `by rule ${row.ruleName}` : "by hand"}`);
const ruleEvents = async () =>
  (await database.db.select().from(auditEvents).where(and(eq(auditEvents.accountId, accountId), inArray(auditEvents.action, ["rule.granted", "rule.revoked"])))).map((event) => {
    const details = event.details as { email: string; role: string; rule: string; app?: string };
    return `${event.action} ${details.email} ${details.role} (${details.rule}) app=${details.app}`;
  });
const rule = { name: "Toulouse publishers", value: "Toulouse", role: "", unitId: null };

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "App Rules Co" }).returning();
  accountId = account.id;
  [ada, sam, kim] = await insertMembers(database.db, [
    { accountId, email: "ada@apprules.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId, email: "sam@apprules.test", name: "Sam", status: "active", passwordHash: "x", roles: ["member"] },
    { accountId, email: "kim@apprules.test", name: "Kim", status: "active", passwordHash: "x", roles: ["member"] },
  ]);
  site = (await act(ada, defineProperty, { key: "site", label: "Site", type: "choice", choices: ["Toulouse", "Lyon"] })).id;
  const studio = (await listApplications(database.db)).find((app) => app.key === "studio")!;
  publisher = studio.roles.find((role) => role.key === "publisher")!.id;
  // Kim uses Studio by hand already, as a User.
  await act(ada, subscribeMember, { userId: kim.id, appKey: "studio" });
  await setSite(sam, "Toulouse");
  await setSite(kim, "Toulouse");
});
afterAll(() => database.close());

describe("access rules giving an app role (A7, A8)", () => {
  it("previews who would gain the app role, writing nothing", async () => {
    const preview = await previewRule(database.db, await as(ada), { ...rule, ruleId: null, propertyId: site, appRoleId: publisher });
    expect(preview.gain.map((row) => `${row.email} ${row.role}`)).toEqual(["kim@apprules.test Publisher in Studio", "sam@apprules.test Publisher in Studio"]);
    expect(preview.lose).toEqual([]);
    expect(await appsOf(sam)).toEqual([]);
  });

  it("subscribes whoever matches, with the app role, as a row of the rule's own beside one by hand — audited with the rule's name", async () => {
    const created = await act(ada, createRule, { ...rule, propertyId: site, appRoleId: publisher });
    expect(created.granted).toBe(2);
    expect(await appsOf(sam)).toEqual(["Studio: Publisher"]);
    expect(await rowsOf(sam)).toEqual(["studio [publisher] by rule Toulouse publishers"]);
    expect(await appsOf(kim)).toEqual(["Studio: User, Publisher"]);
    expect(await rowsOf(kim)).toEqual(["studio [user] by hand", "studio [publisher] by rule Toulouse publishers"]);
    expect(await ruleEvents()).toEqual(["rule.granted kim@apprules.test Publisher in Studio (Toulouse publishers) app=studio", "rule.granted sam@apprules.test Publisher in Studio (Toulouse publishers) app=studio"]);
  });

  it("refuses taking the rule's app role away by hand, naming the rule; other app roles still change by hand", async () => {
    expect(await refusalOf(act(ada, unsubscribeMember, { userId: sam.id, appKey: "studio" }))).toMatch(/Publisher in Studio is given by rule “Toulouse publishers”: it cannot be removed by hand/);
    expect(await refusalOf(act(ada, unsubscribeMember, { userId: kim.id, appKey: "studio" }))).toMatch(/given by rule “Toulouse publishers”/);
    expect(await refusalOf(act(ada, setMemberAppRoles, { userId: kim.id, appKey: "studio", roles: ["user"] }))).toMatch(/Publisher in Studio is given by rule “Toulouse publishers”/);
    expect(await appsOf(kim)).toEqual(["Studio: User, Publisher"]);
    // Sam, who has Studio only by the rule, is given Editor by hand: a subscription by hand appears beside the rule's.
    await act(ada, setMemberAppRoles, { userId: sam.id, appKey: "studio", roles: ["publisher", "editor"] });
    expect(await rowsOf(sam)).toEqual(["studio [editor] by hand", "studio [publisher] by rule Toulouse publishers"]);
    // …and taken back: the rule's row alone remains.
    await act(ada, setMemberAppRoles, { userId: sam.id, appKey: "studio", roles: ["publisher"] });
    expect(await rowsOf(sam)).toEqual(["studio [publisher] by rule Toulouse publishers"]);
  });

  it("when the rule stops matching: a subscription only the rule made goes; one by hand stays with its own roles", async () => {
    await setSite(sam, "Lyon");
    expect(await appsOf(sam)).toEqual([]);
    expect(await rowsOf(sam)).toEqual([]);
    await setSite(kim, "Lyon");
    expect(await appsOf(kim)).toEqual(["Studio: User"]);
    expect(await rowsOf(kim)).toEqual(["studio [user] by hand"]);
    expect((await ruleEvents()).slice(2)).toEqual(["rule.revoked sam@apprules.test Publisher in Studio (Toulouse publishers) app=studio", "rule.revoked kim@apprules.test Publisher in Studio (Toulouse publishers) app=studio"]);
  });

  it("takes its subscriptions back when the rule is deleted", async () => {
    await setSite(sam, "Toulouse");
    expect(await appsOf(sam)).toEqual(["Studio: Publisher"]);
    const [saved] = await database.db.query.accessRules.findMany();
    expect((await act(ada, deleteRule, { ruleId: saved.id })).revoked).toBe(1);
    expect(await appsOf(sam)).toEqual([]);
    expect(await appsOf(kim)).toEqual(["Studio: User"]);
  });

  it("refuses an app role on a unit, and a role and an app role at once", async () => {
    const plant = (await act(ada, createUnit, { name: "Toulouse plant", parentId: null })).id;
    expect(await refusalOf(act(ada, createRule, { ...rule, propertyId: site, appRoleId: publisher, unitId: plant }))).toBe("An app role is given for the whole account: choose no unit.");
    expect(await refusalOf(act(ada, createRule, { ...rule, propertyId: site, appRoleId: publisher, role: "manager" }))).toBe("Choose a role or an app role, not both.");
    expect(await refusalOf(act(ada, createRule, { ...rule, propertyId: site }))).toBe("Choose a role or an app role.");
  });
});
