import { eq } from "drizzle-orm";
import { deleteSession } from "@/db/queries/sessions";
import { normaliseEmail } from "@/db/queries/users";
import { users } from "@/db/schema";
import type { ActionContext } from "@/lib/actions/define-action";
import { refuse } from "@/lib/actions/refusal";
import { recordAudit } from "@/lib/audit";
import { signInThrottles } from "./credentials";
import { verifyPassword } from "./password";
import { describeWait } from "./throttle";

export const WRONG_CURRENT_PASSWORD = "That is not your current password.";

/**
 * The current password as fresh proof before a change to one's own sign-in (the password
 * itself, 2FA), so a stolen session is not a free password oracle: every try counts
 * against the person's sign-in allowance (guesses here and at sign-in share it), each
 * wrong one is audited as `<action>_failed`, and at the limit this session ends — the
 * person meets sign-in on their next request. A right password resets the count, as a
 * sign-in does.
 *
 * For defineAction's `check`: it runs outside the change's transaction, so the count,
 * the audit row and the ended session stay although the action is refused.
 */
export async function confirmCurrentPassword({ db, user, request }: ActionContext, password: string, action: "password.change" | "two_factor.start" | "two_factor.disable" | "two_factor.backup_codes" | "passkey.add" | "passkey.remove"): Promise<void> {
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));
  if (!row?.hash || user.ssoManaged) refuse("Your sign-in is managed by your identity provider.");
  const key = normaliseEmail(user.email);
  // Counted before the password is checked (one atomic upsert), as at sign-in.
  const quota = await signInThrottles.perEmail.allow(db, key);
  if (quota.allowed && (await verifyPassword(row.hash, password))) {
    await signInThrottles.perEmail.reset(db, key);
    return;
  }
  const wait = quota.allowed ? await signInThrottles.perEmail.blockedFor(db, key) : quota.retryAfterSeconds;
  const signedOut = wait > 0;
  await db.transaction(async (tx) => {
    await recordAudit(tx, {
      accountId: user.accountId,
      actorId: user.id,
      action: `${action}_failed` as const,
      target: { type: "user", id: user.id },
      details: { reason: quota.allowed ? "wrong_password" : "too_many_attempts", signedOut },
      context: request,
    });
    if (signedOut) await deleteSession(tx, user.sessionId);
  });
  if (signedOut) refuse(`Too many wrong passwords, so you were signed out to protect your account. You can sign in again in ${describeWait(wait)}.`);
  refuse(WRONG_CURRENT_PASSWORD);
}
