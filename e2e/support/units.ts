import type postgres from "postgres";
import { addUnitMember, insertUnit } from "@/db/queries/units";
import { appDatabase } from "./tenant";

/**
 * A4: units for a test, made by the app's own query functions (the tree and its subtree
 * index kept as the app keeps them): `[name, parent name or null]` in order, and people to
 * put in them. Returns the units' IDs by name.
 */
export async function createUnits(sql: postgres.Sql, accountId: string, tree: [string, string | null][], members: [string, string][] = []) {
  const db = appDatabase(sql);
  const ids: Record<string, string> = {};
  await db.transaction(async (tx) => {
    for (const [name, parent] of tree) ids[name] = (await insertUnit(tx, { accountId, parentId: parent ? ids[parent] : null, name })).id;
    for (const [userId, unit] of members) await addUnitMember(tx, ids[unit], userId);
  });
  return ids;
}
