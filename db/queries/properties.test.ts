import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts, userProperties } from "@/db/schema";
import { useFreshDatabase, wholeAccountViewer } from "@/db/testing";
import { listMembers } from "./members";
import { writePropertyValue } from "./properties";
import { insertMembers } from "./users";

// A7: the team table's property filter — exact value, this account's property only, with
// the other filters.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let acmeId: string;

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme, globex] = await database.db.insert(accounts).values([{ name: "Acme" }, { name: "Globex" }]).returning();
  acmeId = acme.id;
  const people = await insertMembers(database.db, [
    { accountId: acme.id, email: "ada@acme.test", name: "Ada", status: "active" },
    { accountId: acme.id, email: "bo@acme.test", name: "Bo", status: "disabled" },
    { accountId: acme.id, email: "cy@acme.test", name: "Cy", status: "active" },
    { accountId: globex.id, email: "gil@globex.test", name: "Gil", status: "active" },
  ]);
  const [site, otherSite] = await database.db
    .insert(userProperties)
    .values([
      { accountId: acme.id, key: "site", label: "Site", type: "text" },
      { accountId: globex.id, key: "site", label: "Site", type: "text" },
    ])
    .returning();
  await writePropertyValue(database.db, people[0].id, site.id, { value: "Toulouse", unitId: null });
  await writePropertyValue(database.db, people[1].id, site.id, { value: "Toulouse", unitId: null });
  await writePropertyValue(database.db, people[2].id, site.id, { value: "Lyon", unitId: null });
  await writePropertyValue(database.db, people[3].id, otherSite.id, { value: "Toulouse", unitId: null });
});
afterAll(() => database.close());

const emails = async (query: Parameters<typeof listMembers>[3]) => {
  const result = await listMembers(database.db, wholeAccountViewer({ accountId: acmeId, email: "boss@acme.test" }), {}, query);
  return { emails: result.rows.map((row) => row.email), total: result.total };
};

describe("the team table's property filter (A7)", () => {
  it("lists the members with exactly that value, counted alike", async () => {
    expect(await emails({ property: { key: "site", value: "Toulouse" } })).toEqual({ emails: ["ada@acme.test", "bo@acme.test"], total: 2 });
    expect(await emails({ property: { key: "site", value: "Lyon" } })).toEqual({ emails: ["cy@acme.test"], total: 1 });
    expect(await emails({ property: { key: "site", value: "toulouse" } })).toEqual({ emails: [], total: 0 });
  });

  it("adds up with the other filters, and an unknown property matches no one", async () => {
    expect(await emails({ property: { key: "site", value: "Toulouse" }, status: "active" })).toEqual({ emails: ["ada@acme.test"], total: 1 });
    expect(await emails({ property: { key: "team", value: "Toulouse" } })).toEqual({ emails: [], total: 0 });
  });
});
