import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listUnits } from "@/db/queries/units";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, roleGrants, unitPaths, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { addMemberToUnit, removeMemberFromUnit } from "./members";
import { createUnit, deleteUnit, moveUnit, renameUnit } from "./units";
import { buildTree, flatten, pathName } from "./tree";

// A4: the tree's operations on a real database — the closure table kept on every change,
// cycles and non-empty deletes refused with what to do, every change audited — and who
// may change which part of it.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
let ada: User, eve: User;
const request = { ip: "203.0.113.7", userAgent: "vitest" };
const as = async (user: User) => ({ principal: await principalFromDatabase(database.db, user), request });
type Tx = Parameters<Parameters<typeof database.db.transaction>[0]>[0];
type Actor = Awaited<ReturnType<typeof as>>;
/** Runs an operation as `by` in a transaction (the principal is loaded first: PGlite is one connection). */
const act = async <I, T>(by: User, operation: (tx: Tx, actor: Actor, input: I) => Promise<T>, input: I) => {
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
const units: Record<string, string> = {};
const make = async (name: string, parent: string | null, by: User = ada) => {
  const { id } = await act(by, createUnit, { name, parentId: parent ? units[parent] : null });
  units[name] = id;
  return id;
};

/** The closure table as "ancestor > descendant @depth" lines, by name. */
async function paths() {
  const names = Object.fromEntries(Object.entries(units).map(([name, id]) => [id, name]));
  const rows = await database.db.select().from(unitPaths);
  return rows
    .filter((row) => names[row.ancestorId] && names[row.descendantId])
    .map((row) => `${names[row.ancestorId]} > ${names[row.descendantId]} @${row.depth}`)
    .sort();
}

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Tree Co" }).returning();
  accountId = account.id;
  [ada, eve] = await insertMembers(database.db, [
    { accountId, email: "ada@tree.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId, email: "eve@tree.test", name: "Eve", status: "active", passwordHash: "x", roles: ["member"] },
  ]);
  await make("Acme", null);
  await make("EMEA", "Acme");
  await make("Germany", "EMEA");
  await make("Plant 2", "Germany");
  await make("Americas", "Acme");
});
afterAll(() => database.close());

describe("the unit tree (A4)", () => {
  it("keeps a path from every unit to each unit above it", async () => {
    expect(await paths()).toEqual(
      [
        "Acme > Acme @0",
        "Acme > Americas @1",
        "Acme > EMEA @1",
        "Acme > Germany @2",
        "Acme > Plant 2 @3",
        "Americas > Americas @0",
        "EMEA > EMEA @0",
        "EMEA > Germany @1",
        "EMEA > Plant 2 @2",
        "Germany > Germany @0",
        "Germany > Plant 2 @1",
        "Plant 2 > Plant 2 @0",
      ].sort(),
    );
    const listed = await listUnits(database.db, accountId);
    expect(flatten(buildTree(listed)).map((unit) => `${"  ".repeat(unit.depth)}${unit.name}`)).toEqual(["Acme", "  Americas", "  EMEA", "    Germany", "      Plant 2"]);
    expect(pathName(listed, units["Plant 2"])).toBe("Acme / EMEA / Germany / Plant 2");
  });

  it("moves a unit with everything below it, and the paths follow", async () => {
    await act(ada, moveUnit, { unitId: units.Germany, parentId: units.Americas });
    const moved = await paths();
    expect(moved).toContain("Americas > Plant 2 @2");
    expect(moved).toContain("Acme > Plant 2 @3");
    expect(moved).not.toContain("EMEA > Germany @1");
    expect(moved).not.toContain("EMEA > Plant 2 @2");
    await act(ada, moveUnit, { unitId: units.Germany, parentId: units.EMEA });
    expect(await paths()).toContain("EMEA > Plant 2 @2");
    const [audit] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "unit.moved"), eq(auditEvents.targetId, units.Germany)));
    expect(audit.details).toMatchObject({ name: "Germany", before: "EMEA", after: "Americas" });
  });

  it("refuses to move a unit under itself or under a unit below it, saying what to do", async () => {
    expect(await refusalOf(act(ada, moveUnit, { unitId: units.EMEA, parentId: units["Plant 2"] }))).toEqual({
      code: "conflict",
      message: "Plant 2 is inside EMEA, so EMEA cannot move under it. Choose a parent outside EMEA, or move Plant 2 out first.",
    });
    expect(await refusalOf(act(ada, moveUnit, { unitId: units.EMEA, parentId: units.EMEA }))).toMatchObject({ message: "A unit cannot be placed under itself. Choose another parent for EMEA." });
    expect(await paths()).toContain("Acme > EMEA @1");
  });

  it("refuses to delete a unit with sub-units, members or roles given on it, and deletes an empty one", async () => {
    expect(await refusalOf(act(ada, deleteUnit, { unitId: units.Germany }))).toEqual({
      code: "conflict",
      message: "Germany still has 1 sub-unit. First move or delete its sub-units.",
    });
    await act(ada, addMemberToUnit, { userId: eve.id, unitId: units["Plant 2"] });
    await database.db.insert(roleGrants).values({ accountId, userId: eve.id, roleKey: "restricted_admin", unitId: units["Plant 2"] });
    expect((await refusalOf(act(ada, deleteUnit, { unitId: units["Plant 2"] })))?.message).toBe(
      "Plant 2 still has 1 member, 1 role given on it. First take its members out of it (on their pages) or move them to another unit, then take away the roles given on it.",
    );
    await database.db.delete(roleGrants).where(eq(roleGrants.unitId, units["Plant 2"]));
    await act(ada, removeMemberFromUnit, { userId: eve.id, unitId: units["Plant 2"] });
    expect(await act(ada, deleteUnit, { unitId: units["Plant 2"] })).toEqual({ name: "Plant 2" });
    expect((await paths()).filter((line) => line.includes("Plant 2"))).toEqual([]);
    delete units["Plant 2"];
    await make("Plant 2", "Germany");
  });

  it("renames, keeping sibling names apart, and audits it", async () => {
    expect(await refusalOf(act(ada, renameUnit, { unitId: units.Americas, name: "emea" }))).toMatchObject({
      message: "There is already a unit named emea in that place. Choose another name.",
    });
    await act(ada, renameUnit, { unitId: units.Americas, name: "The Americas" });
    const [audit] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "unit.renamed"));
    expect(audit.details).toMatchObject({ before: "Americas", after: "The Americas" });
    // The same name under another parent is another unit.
    await make("Sales", "EMEA");
    expect(await make("sales", "Americas")).not.toBe(units.Sales);
  });
});

describe("who manages which units (A4)", () => {
  let lena: User;
  beforeAll(async () => {
    // Lena is Admin of EMEA only: "Manage organisation units" there covers the units below it.
    [lena] = await insertMembers(database.db, [{ accountId, email: "lena@tree.test", name: "Lena", status: "active", passwordHash: "x", roles: ["member"] }]);
    await database.db.insert(roleGrants).values({ accountId, userId: lena.id, roleKey: "admin", unitId: units.EMEA });
  });

  it("lets a unit's manager shape what is below it", async () => {
    await make("France", "EMEA", lena);
    await act(lena, renameUnit, { unitId: units.France, name: "France & Benelux" });
    await act(lena, moveUnit, { unitId: units.France, parentId: units.Germany });
    await act(lena, deleteUnit, { unitId: units.France });
  });

  it("but not the unit itself, nothing above or beside it, nor a new top-level unit", async () => {
    expect(await refusalOf(act(lena, renameUnit, { unitId: units.EMEA, name: "Europe" }))).toEqual({
      code: "forbidden",
      message: "You cannot rename EMEA: you manage the units below it. Ask someone who manages the units above it.",
    });
    expect(await refusalOf(act(lena, renameUnit, { unitId: units.Acme, name: "Mine" }))).toMatchObject({ code: "not_found" });
    expect(await refusalOf(act(lena, createUnit, { name: "Brazil", parentId: units.Americas }))).toMatchObject({ code: "not_found" });
    expect(await refusalOf(act(lena, createUnit, { name: "Elsewhere", parentId: null }))).toMatchObject({ code: "forbidden" });
    // Moving a unit of hers out of her subtree is placing it beside: refused.
    expect(await refusalOf(act(lena, moveUnit, { unitId: units.Germany, parentId: units.Acme }))).toMatchObject({ code: "not_found" });
  });

  it("sees another account's unit as not found", async () => {
    const [other] = await database.db.insert(accounts).values({ name: "Other" }).returning();
    const [olga] = await insertMembers(database.db, [{ accountId: other.id, email: "olga@other.test", name: "Olga", status: "active", passwordHash: "x", roles: ["admin"] }]);
    expect(await refusalOf(act(olga, renameUnit, { unitId: units.EMEA, name: "Ours" }))).toMatchObject({ code: "not_found", message: "No such unit in this account." });
    expect(await refusalOf(act(olga, createUnit, { name: "Inside", parentId: units.EMEA }))).toMatchObject({ code: "not_found" });
  });
});
