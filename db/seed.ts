/**
 * `npm run db:seed` — the demo accounts on an empty database, and, with
 * `--members N [--account Acme]`, N synthetic members for benchmarks (db/bulk.ts); with
 * `--units` too, 2,000 organisation units 8 levels deep with the account's members in them (A4). With the embedded database, stop the console first: one
 * PGlite data folder must never be opened by two processes.
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { addSyntheticMembers, addSyntheticUnits } from "./bulk";
import { getDatabase } from "./client";
import { seedDemoIfEmpty } from "./demo";
import { accounts } from "./schema";

async function main() {
  const { values } = parseArgs({
    options: { members: { type: "string" }, account: { type: "string", default: "Acme" }, units: { type: "boolean", default: false } },
  });
  const members = values.members === undefined ? 0 : Number(values.members);
  if (!Number.isInteger(members) || members < 0 || members > 5_000_000) {
    throw new Error("--members must be a whole number between 0 and 5,000,000");
  }
  const { db, close } = await getDatabase();
  try {
    if (await seedDemoIfEmpty(db)) console.log("Created the demo accounts (Acme, Globex).");
    if (members > 0) {
      const [account] = await db.select().from(accounts).where(eq(accounts.name, values.account!)).limit(1);
      if (!account) throw new Error(`No account named "${values.account}"`);
      const started = Date.now();
      await addSyntheticMembers(db, account.id, members);
      console.log(`Added ${members} members to ${account.name} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
    if (values.units) {
      const [account] = await db.select().from(accounts).where(eq(accounts.name, values.account!)).limit(1);
      if (!account) throw new Error(`No account named "${values.account}"`);
      const started = Date.now();
      await addSyntheticUnits(db, account.id);
      console.log(`Added 2,000 units (8 levels) to ${account.name}, its members spread over them, in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
