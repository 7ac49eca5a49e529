import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listProperties } from "@/db/queries/properties";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { changeProperty, defineProperty, setMemberProperties } from "./properties";
import { createRule } from "./rules";

// A7: a property renamed, and a choice's choices changed — never taking away one that
// somebody has or an access rule matches (refused, saying how many people have it); audited.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
let ada: User, sam: User, kim: User;
let site: string;
const request = { ip: "203.0.113.7", userAgent: "vitest" };
type Tx = Parameters<Parameters<typeof database.db.transaction>[0]>[0];
type Actor = { principal: Awaited<ReturnType<typeof principalFromDatabase>>; request: typeof request };
const act = async <I, T>(by: User, operation: (tx: Tx, actor: Actor, input: I) => Promise<T>, input: I) => {
  const actor = { principal: await principalFromDatabase(database.db, by), request };
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
const siteNow = async () => (await listProperties(database.db, accountId)).find((p) => p.id === site)!;
const change = (label: string, choices: string[]) => act(ada, changeProperty, { propertyId: site, label, choices });

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Props Co" }).returning();
  accountId = account.id;
  [ada, sam, kim] = await insertMembers(database.db, [
    { accountId, email: "ada@props.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId, email: "sam@props.test", name: "Sam", status: "active", passwordHash: "x", roles: ["member"] },
    { accountId, email: "kim@props.test", name: "Kim", status: "active", passwordHash: "x", roles: ["member"] },
  ]);
  site = (await act(ada, defineProperty, { key: "site", label: "Site", type: "choice", choices: ["Toulouse", "Lyon", "Paris", "Nice"] })).id;
  await act(ada, setMemberProperties, { userId: sam.id, values: { [site]: "Lyon" } });
  await act(ada, setMemberProperties, { userId: kim.id, values: { [site]: "Lyon" } });
  await act(ada, createRule, { name: "Paris editors", propertyId: site, value: "Paris", role: "member", unitId: null });
});
afterAll(() => database.close());

describe("changing a property (A7)", () => {
  it("renames it and adds, reorders and takes away unused choices — the key kept, audited with before and after", async () => {
    expect(await change("Work site", ["Paris", "Lyon", "Toulouse", "Bordeaux"])).toEqual({ label: "Work site", changed: true });
    const property = await siteNow();
    expect([property.key, property.label, property.choices]).toEqual(["site", "Work site", ["Paris", "Lyon", "Toulouse", "Bordeaux"]]);
    const [event] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.accountId, accountId), eq(auditEvents.action, "property.updated")));
    expect(event.details).toMatchObject({ key: "site", before: { label: "Site", choices: ["Toulouse", "Lyon", "Paris", "Nice"] }, after: { label: "Work site", choices: ["Paris", "Lyon", "Toulouse", "Bordeaux"] } });
  });

  it("refuses taking away a choice people have, saying how many, and one a rule matches, naming it — nothing changed", async () => {
    expect(await refusalOf(change("Sites", ["Paris", "Toulouse"]))).toBe("“Lyon” is the value of 2 people: give them another value first.");
    expect(await refusalOf(change("Sites", ["Lyon", "Toulouse"]))).toBe("“Paris” is matched by the access rule “Paris editors”: change or delete the rule first.");
    const property = await siteNow();
    expect([property.label, property.choices]).toEqual(["Work site", ["Paris", "Lyon", "Toulouse", "Bordeaux"]]);
  });

  it("takes a choice away once nobody has it", async () => {
    await act(ada, setMemberProperties, { userId: sam.id, values: { [site]: "Toulouse" } });
    expect(await refusalOf(change("Work site", ["Paris", "Toulouse"]))).toMatch(/^“Lyon” is the value of 1 person: /);
    await act(ada, setMemberProperties, { userId: kim.id, values: { [site]: "" } });
    expect(await change("Work site", ["Paris", "Toulouse"])).toEqual({ label: "Work site", changed: true });
    expect((await siteNow()).choices).toEqual(["Paris", "Toulouse"]);
    expect(await refusalOf(act(ada, setMemberProperties, { userId: kim.id, values: { [site]: "Lyon" } }))).toBe("Work site: “Lyon” is not one of Paris, Toulouse.");
  });

  it("refuses a choice property left without choices, and a property of another account", async () => {
    expect(await refusalOf(change("Work site", ["", "  "]))).toBe("Give the choices, one a line.");
    const [other] = await database.db.insert(accounts).values({ name: "Other Co" }).returning();
    const [stranger] = await insertMembers(database.db, [{ accountId: other.id, email: "eve@other.test", name: "Eve", status: "active", passwordHash: "x", roles: ["admin"] }]);
    expect(await refusalOf(act(stranger, changeProperty, { propertyId: site, label: "Mine", choices: ["X"] }))).toBe("No such property in this account.");
  });
});
