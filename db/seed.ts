/**
 * `npm run db:seed` — the demo accounts on an empty database, and, with
 * `--members N [--account Acme]`, N synthetic members for benchmarks (one INSERT … SELECT,
 * so 100,000 take seconds). With the embedded database, stop the console first: one
 * PGlite data folder must never be opened by two processes.
 */
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { getDatabase } from "./client";
import { seedDemoIfEmpty } from "./demo";
import { accounts } from "./schema";

async function main() {
  const { values } = parseArgs({
    options: { members: { type: "string" }, account: { type: "string", default: "Acme" } },
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
      const tag = Date.now().toString(36);
      // Statuses in a realistic mix: mostly active, some invited, a few disabled.
      await db.execute(sql`
        insert into users (account_id, email, name, role, status, last_active_at, created_at)
        select ${account.id}::uuid,
               'member' || g || '.' || ${tag} || '@bulk.example.com',
               (array['Alex','Blake','Casey','Drew','Emery','Finley','Gray','Harper','Jordan','Kai'])[1 + g % 10]
                 || ' ' || (array['Smith','Jones','Taylor','Brown','Wilson','Evans','Thomas','Roberts','Walker','Wright'])[1 + (g / 10) % 10]
                 || ' ' || g,
               'secondary',
               (case when g % 20 = 0 then 'disabled' when g % 7 = 0 then 'invited' else 'active' end)::user_status,
               case when g % 7 = 0 then null else now() - (g % 90) * interval '1 day' end,
               now() - (g % 365) * interval '1 day'
        from generate_series(1, ${members}) as g`);
      await db.execute(sql`analyze users`);
      console.log(`Added ${members} members to ${account.name} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
