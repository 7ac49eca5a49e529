/**
 * `npm run audit:verify [-- --account <id>]`: recomputes each account's audit hash chain
 * (O1) and names the first broken row of each. Exits 1 when any chain is broken, so a
 * cron job or CI can alert. Prints each chain's head hash: written down elsewhere, it also
 * shows a chain rewritten from end to end. With the embedded database, stop the console first.
 */
import { parseArgs } from "node:util";
import { getDatabase } from "@/db/client";
import { auditVerifyReport } from "@/lib/audit/verify-report";

async function main() {
  const { values } = parseArgs({ options: { account: { type: "string" } } });
  const { db, close } = await getDatabase();
  let broken = 0;
  try {
    const report = await auditVerifyReport(db, values.account ? [values.account] : undefined);
    for (const line of report.lines) console.log(line);
    broken = report.broken;
  } finally {
    await close();
  }
  process.exit(broken ? 1 : 0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
