import type { Tx, Executor } from "@/db/client";
import { markPasswordResetRequired, spendThisWasntMeLinks } from "@/db/queries/security-notices";
import { countPasskeysAddedSince, deletePasskeysAddedSince } from "@/db/queries/passkeys";
import { deleteUserSessions } from "@/db/queries/sessions";
import { countLiveApiKeysOf, revokeAllApiKeysOf } from "@/lib/api-keys";
import { recordAudit } from "@/lib/audit";
import { sendPasswordReset } from "@/lib/auth/password-reset";
import { deletePendingSignIns } from "@/lib/auth/sign-in-grants";
import type { RequestContext } from "@/lib/request";
import { lookUpThisWasntMeLink } from "./links";

export type ThisWasntMePreview =
  | { state: "valid"; email: string; accountName: string; resetsPassword: boolean; ssoManaged: boolean; apiKeys: number; passkeys: number }
  | { state: "invalid" | "expired" | "used" };

/** What confirming would do, for the page that asks (reading changes nothing). */
export async function previewThisWasntMe(db: Executor, token: string): Promise<ThisWasntMePreview> {
  const found = await lookUpThisWasntMeLink(db, token);
  if (found.state !== "valid") return found;
  const { user } = found;
  return { state: "valid", email: user.email, accountName: user.accountName, resetsPassword: user.hasPassword, ssoManaged: user.ssoManaged, apiKeys: await countLiveApiKeysOf(db, user.id), passkeys: await countPasskeysAddedSince(db, user.id, found.link.createdAt) };
}

export type ThisWasntMeOutcome =
  | { done: true; email: string; passwordReset: boolean; ssoManaged: boolean; sessionsEnded: number; apiKeysRevoked: number; passkeysRemoved: number }
  | { done: false; state: "invalid" | "expired" | "used" };

/**
 * O4 "This wasn't me", confirmed, in one transaction: every session of the person ends,
 * and any sign-in waiting at its second step; every API key of theirs is revoked (a key
 * outlives sessions and passwords, and whoever was in the account may have made one); the
 * password stops signing in until a reset link sets a new one, and that link is emailed.
 * People without a password here (SSO) have their sessions and keys ended only: their
 * identity provider holds the password. Passkeys added since this email was sent are
 * removed: a passkey signs in by itself, so one someone else added (its "passkey added"
 * notice carries this link, in the same transaction) would outlive the new password.
 * Older factors are left alone: an emailed link must never strip the 2FA the person had
 * (an administrator can). Every link of theirs is spent.
 */
export async function confirmThisWasntMe(tx: Tx, token: string, context: RequestContext): Promise<ThisWasntMeOutcome> {
  const found = await lookUpThisWasntMeLink(tx, token, true);
  if (found.state !== "valid") return { done: false, state: found.state };
  const { user, link } = found;
  await spendThisWasntMeLinks(tx, user.id);
  const sessionsEnded = await deleteUserSessions(tx, user.id);
  await deletePendingSignIns(tx, user.id);
  const apiKeysRevoked = await revokeAllApiKeysOf(tx, user.id);
  const passkeysRemoved = await deletePasskeysAddedSince(tx, user.id, link.createdAt);
  if (user.hasPassword) {
    await markPasswordResetRequired(tx, user.id);
    await sendPasswordReset(tx, user, null, "this-wasnt-me");
  }
  await recordAudit(tx, {
    accountId: user.accountId,
    actorId: user.id,
    action: "security.this_wasnt_me",
    target: { type: "user", id: user.id },
    details: { notice: link.notice, sessionsEnded, apiKeysRevoked, passkeysRemoved, passwordResetRequired: user.hasPassword },
    context,
  });
  return { done: true, email: user.email, passwordReset: user.hasPassword, ssoManaged: user.ssoManaged, sessionsEnded, apiKeysRevoked, passkeysRemoved };
}
