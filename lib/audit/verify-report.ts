import type { Executor } from "@/db/client";
import { listAuditChains, verifyAuditChain } from "@/db/queries/audit";

/**
 * O1 `npm run audit:verify`: each chain's verdict as a line — "ok" with its head hash
 * (written down elsewhere, it also shows a chain rewritten end to end), or "BROKEN" with
 * the first broken row — and how many are broken (the command then exits 1).
 */
export async function auditVerifyReport(db: Executor, accountIds?: readonly string[]) {
  const lines: string[] = [];
  let broken = 0;
  for (const accountId of accountIds ?? (await listAuditChains(db))) {
    const report = await verifyAuditChain(db, accountId);
    if (report.broken) {
      broken += 1;
      const { id, createdAt, action, problem } = report.broken;
      lines.push(`BROKEN ${accountId}: ${report.rows} rows; first broken row #${id} (${createdAt.toISOString()}, ${action}): ${problem}`);
    } else {
      lines.push(`ok     ${accountId}: ${report.rows} rows; head ${report.headHash}`);
    }
  }
  return { lines, broken };
}
