import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { propertyValuesOf } from "@/db/queries/properties";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { createUnit } from "@/lib/org-units/units";
import { importProperties, planImport, readCsv } from "./csv-import";
import { defineProperty } from "./properties";

// A7: the CSV import — every bad row reported by its line, nothing written when any row
// is bad, the whole file written in one go when none is.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
let ada: User, sam: User;
const request = { ip: "203.0.113.7", userAgent: "vitest" };
const as = async (user: User) => ({ principal: await principalFromDatabase(database.db, user), request });

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Import Co" }).returning();
  accountId = account.id;
  [ada, sam] = await insertMembers(database.db, [
    { accountId, email: "ada@import.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId, email: "sam@import.test", name: "Sam", status: "active", passwordHash: "x", roles: ["viewer"] },
  ]);
  const actor = await as(ada);
  await database.db.transaction(async (tx) => {
    await defineProperty(tx, actor, { key: "site", label: "Site", type: "choice", choices: ["Toulouse", "Lyon"] });
    await defineProperty(tx, actor, { key: "start", label: "Start date", type: "date", choices: [] });
    await defineProperty(tx, actor, { key: "home", label: "Home unit", type: "unit", choices: [] });
    const emea = await createUnit(tx, actor, { name: "EMEA", parentId: null });
    await createUnit(tx, actor, { name: "France", parentId: emea.id });
  });
});
afterAll(() => database.close());

describe("CSV import of property values (A7)", () => {
  it("reads line numbers, a quoted cell across lines included", () => {
    const read = readCsv('email,site\n\nada@import.test,"Tou\nlouse"\nsam@import.test,Lyon\n');
    expect(read.ok && read.records.map((r) => r.line)).toEqual([1, 3, 5]);
  });

  it("reports every bad row by its line and writes nothing", async () => {
    const csv = [
      "email,site,start,home",
      "ada@import.test,Toulouse,2026-01-05,EMEA / France",
      "nobody@import.test,Lyon,,",
      "sam@import.test,Paris,2026-02-30,Mars",
      "sam@import.test,Lyon,,",
    ].join("\n");
    const plan = await planImport(database.db, accountId, csv);
    expect(plan.errors).toEqual([
      { line: 3, message: "nobody@import.test is not a member of this account." },
      { line: 4, message: "Site: “Paris” is not one of Toulouse, Lyon." },
      { line: 4, message: "Start date: “2026-02-30” is not a date (YYYY-MM-DD)." },
      { line: 4, message: "Home unit: no unit “Mars” in this account." },
      { line: 5, message: "sam@import.test is on an earlier line too." },
    ]);
    expect(plan.writes).toEqual([]);
    const actor = await as(ada);
    await expect(database.db.transaction((tx) => importProperties(tx, actor, { csv }))).rejects.toThrow(ActionRefusal);
    expect(await propertyValuesOf(database.db, ada.id)).toEqual([]);
  });

  it("refuses an unknown property column on the header line", async () => {
    const plan = await planImport(database.db, accountId, "email,site,team\nada@import.test,Lyon,Blue\n");
    expect(plan.errors).toEqual([{ line: 1, message: "No property with the key “team”." }]);
  });

  it("previews the changes per person, then writes them all in one transaction, audited once", async () => {
    const csv = "email,site,start,home\nADA@import.test,toulouse,2026-01-05,emea / france\nsam@import.test,Lyon,,\n";
    const plan = await planImport(database.db, accountId, csv);
    expect(plan.errors).toEqual([]);
    expect(plan.rows).toEqual([
      {
        line: 2,
        email: "ada@import.test",
        changes: [
          { key: "site", label: "Site", before: "", after: "Toulouse" },
          { key: "start", label: "Start date", before: "", after: "2026-01-05" },
          { key: "home", label: "Home unit", before: "", after: "EMEA / France" },
        ],
      },
      { line: 3, email: "sam@import.test", changes: [{ key: "site", label: "Site", before: "", after: "Lyon" }] },
    ]);
    const actor = await as(ada);
    expect(await database.db.transaction((tx) => importProperties(tx, actor, { csv }))).toEqual({ people: 2, values: 4, ruleChanges: 0 });
    expect((await propertyValuesOf(database.db, sam.id)).map((v) => v.value)).toEqual(["Lyon"]);
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "properties.imported"));
    expect(events.map((e) => e.details)).toEqual([{ people: 2, values: 4 }]);
    // The same file again changes nothing.
    expect((await planImport(database.db, accountId, csv)).rows).toEqual([]);
  });
});
