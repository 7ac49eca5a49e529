import type { Executor } from "@/db/client";
import { countPasskeys, deletePasskey, deleteUserWebauthnChallenges, findOwnPasskey, listPasskeys, renamePasskey } from "@/db/queries/passkeys";
import { lockTotpEnrolment } from "@/db/queries/two-factor";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { deletePendingSignIns } from "@/lib/auth/sign-in-grants";
import { sendSecurityNotice } from "@/lib/security-notices/notices";
import { twoFactorEnforcedFor } from "@/lib/two-factor/enforcement";

export const NO_SUCH_PASSKEY = "No such passkey: it may have been removed already.";
export const LAST_PASSKEY_ENFORCED =
  "Your administrator requires two-factor authentication: add another passkey or set up an authenticator app before removing your last passkey.";

/** A passkey as the Security page receives it (dates as ISO strings; nothing of the key). */
export type PasskeyRow = { id: string; name: string; synced: boolean; createdAt: string; lastUsedAt: string | null };

export async function listOwnPasskeys(db: Executor, principal: Principal): Promise<PasskeyRow[]> {
  return (await listPasskeys(db, principal.id)).map((row) => ({
    id: row.id,
    name: row.name,
    synced: row.deviceType === "multiDevice",
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  }));
}

/** B1: a new name for one of one's own passkeys (no fresh proof: it changes no access). */
export async function renameOwnPasskey(tx: Executor, { principal, request }: Actor, input: { passkeyId: string; name: string }) {
  const before = await findOwnPasskey(tx, principal.id, input.passkeyId);
  if (!before || !(await renamePasskey(tx, principal.id, input.passkeyId, input.name))) refuse(NO_SUCH_PASSKEY, "not_found");
  await recordAuditBy(tx, { principal, request }, { action: "passkey.renamed", target: { type: "user", id: principal.id }, details: { passkeyId: before.id, from: before.name, to: input.name } });
  return { id: before.id, name: input.name };
}

/** Checks before a step-up code is sent: the passkey must be one's own. */
export async function checkRemovePasskey(db: Executor, principal: Principal, passkeyId: string) {
  if (!(await findOwnPasskey(db, principal.id, passkeyId))) refuse(NO_SUCH_PASSKEY, "not_found");
}

/**
 * B1: removes one of one's own passkeys (the caller took a fresh proof). Under enforcement
 * (P4) the last second factor cannot go: the person's row is locked, so two removals at once
 * cannot each leave the other as the last. Sign-ins and ceremonies under way end with it.
 */
export async function removeOwnPasskey(tx: Executor, { principal, request }: Actor, input: { passkeyId: string }) {
  const totp = await lockTotpEnrolment(tx, principal.id);
  const removed = await deletePasskey(tx, principal.id, input.passkeyId);
  if (!removed) refuse(NO_SUCH_PASSKEY, "not_found");
  if (!totp.enabled && (await countPasskeys(tx, principal.id)) === 0 && (await twoFactorEnforcedFor(tx, principal))) refuse(LAST_PASSKEY_ENFORCED);
  await deletePendingSignIns(tx, principal.id);
  await deleteUserWebauthnChallenges(tx, principal.id);
  await sendSecurityNotice(tx, principal, "passkey-removed", { name: removed.name });
  await recordAuditBy(tx, { principal, request }, { action: "passkey.removed", target: { type: "user", id: principal.id }, details: { passkeyId: removed.id, name: removed.name } });
  return { id: removed.id, name: removed.name };
}
