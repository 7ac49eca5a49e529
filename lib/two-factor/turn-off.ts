import type { Tx } from "@/db/client";
import { countPasskeys } from "@/db/queries/passkeys";
import { clearTotpSecret, deleteBackupCodes, lockTotpEnrolment } from "@/db/queries/two-factor";
import { refuse } from "@/lib/actions/refusal";
import { recordAudit } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { deletePendingSignIns } from "@/lib/auth/sign-in-grants";
import { acceptSecondFactor } from "@/lib/auth/totp";
import { sendSecurityNotice } from "@/lib/security-notices/notices";
import type { RequestContext } from "@/lib/request";
import { twoFactorEnforcedFor } from "./enforcement";

/**
 * One's own 2FA off, whichever fresh proof the caller took: it takes a current code (or a
 * backup code) and is refused while enforcement applies (P4).
 */
export async function turnOffTwoFactor(tx: Tx, principal: Principal, input: { code: string }, request: RequestContext) {
  if (!principal.totpEnabled) refuse("Two-factor authentication is already off.");
  // B1: with a passkey left, 2FA stays on, so enforcement does not stop the app going. The
  // row lock keeps a passkey removal at the same moment from leaving nothing.
  await lockTotpEnrolment(tx, principal.id);
  const passkeysLeft = (await countPasskeys(tx, principal.id)) > 0;
  if (!passkeysLeft && (await twoFactorEnforcedFor(tx, principal))) refuse("Your administrator requires two-factor authentication, so it cannot be turned off.");
  if (!(await acceptSecondFactor(tx, principal.id, input.code))) refuse("That code is not right, or it was already used.");
  await clearTotpSecret(tx, principal.id);
  await deleteBackupCodes(tx, principal.id);
  await deletePendingSignIns(tx, principal.id);
  await sendSecurityNotice(tx, principal, passkeysLeft ? "authenticator-app-removed" : "two-factor-disabled");
  await recordAudit(tx, { accountId: principal.accountId, actorId: principal.id, action: "two_factor.disabled", target: { type: "user", id: principal.id }, context: request });
  return {};
}
