import type { Tx } from "@/db/client";
import { refuse } from "@/lib/actions/refusal";
import { recordAudit } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { acceptSecondFactor, newBackupCodes, storeBackupCodes } from "@/lib/auth/totp";
import type { RequestContext } from "@/lib/request";
import { sendSecurityNotice } from "@/lib/security-notices/notices";

/**
 * P3: new backup codes replace the old ones (lost, or used up), shown once. Like turning
 * 2FA off it takes a current code (or a backup code) besides the caller's fresh proof, so a
 * stolen session cannot mint itself a way past the second factor. The person is told (O4).
 */
export async function regenerateBackupCodes(tx: Tx, principal: Principal, input: { code: string }, request: RequestContext) {
  if (!principal.twoFactorEnabled) refuse("Turn on two-factor authentication first.");
  if (!(await acceptSecondFactor(tx, principal.id, input.code))) refuse("That code is not right, or it was already used.");
  const codes = newBackupCodes();
  await storeBackupCodes(tx, principal.id, codes);
  await sendSecurityNotice(tx, principal, "backup-codes-regenerated");
  await recordAudit(tx, { accountId: principal.accountId, actorId: principal.id, action: "two_factor.backup_codes_regenerated", target: { type: "user", id: principal.id }, context: request });
  return { backupCodes: codes };
}
