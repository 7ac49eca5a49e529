import QRCode from "qrcode";
import type { Tx } from "@/db/client";
import { enableTotp, lockTotpEnrolment, storePendingTotpSecret } from "@/db/queries/two-factor";
import { refuse } from "@/lib/actions/refusal";
import { recordAudit } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { checkTotp, newBackupCodes, newTotpSecret, storeBackupCodes, totpUri } from "@/lib/auth/totp";
import { decrypt, encrypt } from "@/lib/crypto";
import { sendSecurityNotice } from "@/lib/security-notices/notices";
import type { RequestContext } from "@/lib/request";

/** P3 step 1: a new secret, kept encrypted as "pending" until a code from the app confirms it. */
export async function startEnrolment(tx: Tx, principal: Principal) {
  const secret = newTotpSecret();
  await storePendingTotpSecret(tx, principal.id, encrypt(secret));
  const uri = totpUri(secret, principal.email);
  // Rendered here, on the server: the secret never depends on client code.
  const qrDataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 1, width: 200 });
  return { secret, uri, qrDataUrl };
}

/** P3 step 2: a right code from the app turns 2FA on and yields 10 backup codes, shown once. */
export async function confirmEnrolment(tx: Tx, principal: Principal, input: { code: string }, request: RequestContext) {
  const row = await lockTotpEnrolment(tx, principal.id);
  if (row.enabled) refuse("Two-factor authentication is already on.");
  if (!row.pending) refuse("Start the setup again: no QR code is waiting for confirmation.");
  const result = await checkTotp(decrypt(row.pending), input.code);
  if (!result.valid) refuse("That code does not match. Check that your phone's clock is right and enter the current code.");
  await enableTotp(tx, principal.id, row.pending, result.timeStep);
  const codes = newBackupCodes();
  await storeBackupCodes(tx, principal.id, codes);
  await sendSecurityNotice(tx, principal, "two-factor-enabled");
  await recordAudit(tx, { accountId: principal.accountId, actorId: principal.id, action: "two_factor.enabled", target: { type: "user", id: principal.id }, context: request });
  return { backupCodes: codes };
}
