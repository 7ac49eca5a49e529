/**
 * `npm run audit:verify [-- --account <id>]`: recomputes each account's audit hash chain
 * (O1) and names the first broken row of each. Exits 1 when any chain is broken, so a
 * cron job or CI can alert. Prints each chain's head hash: written down elsewhere, it also
 * shows a chain rewritten from end to end. With the embedded database, stop the console first.
 */
import { parseArgs } from "node:util";
import { getDatabase } from "@/db/client";
import { listAuditChains, verifyAuditChain } from "@/db/queries/audit";

async function main() {
  const { values } = parseArgs({ options: { account: { type: "string" } } });
  const { db, close } = await getDatabase();
  let broken = 0;
  try {
    const chains = values.account ? [values.account] : await listAuditChains(db);
    for (const accountId of chains) {
      const report = await verifyAuditChain(db, accountId);
      if (report.broken) {
        broken += 1;
        const { id, createdAt, action, problem } = report.broken;
        console.log(`BROKEN ${accountId}: ${report.rows} rows; first broken row #${id} (${createdAt.toISOString()}, ${action}): ${problem}`);
      } else {
        console.log(`ok     ${accountId}: ${report.rows} rows; head ${report.headHash}`);
      }
    }
  } finally {
    await close();
  }
  process.exit(broken ? 1 : 0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
