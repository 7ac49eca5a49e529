import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { Executor, Tx } from "@/db/client";
import { markPasswordResetUsed } from "@/db/queries/password-resets";
import { findUserByEmail, findUserContact } from "@/db/queries/users";
import { passwordResets, sessions, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { config } from "@/lib/config";
import { randomToken, sha256 } from "@/lib/crypto";
import { enqueueEmail } from "@/lib/email";
import { sendSecurityNotice } from "@/lib/security-notices/notices";
import { passwordResetEmail, type ResetReason } from "@/lib/email/templates";
import type { RequestContext } from "@/lib/request";
import { hashPassword } from "./password";
import { describePasswordProblems, newPasswordProblems } from "./password-strength";
import { deletePendingSignIns } from "./sign-in-grants";
import { Throttle } from "./throttle";

export const RESET_TTL_MINUTES = 60;
export const RESET_SENT_MESSAGE = "If an account exists for that address, we emailed it a link to set a new password. The link expires in 1 hour.";
// P1: per address (one inbox is not flooded), per IP (one client cannot mail any number of
// addresses) and per target account (many clients together cannot flood one tenant's members).
export const resetThrottles = {
  perAddress: new Throttle({ name: "reset:email", points: 3, durationSeconds: 15 * 60 }),
  perIp: new Throttle({ name: "reset:ip", points: 20, durationSeconds: 60 * 60 }),
  perAccount: new Throttle({ name: "reset:account", points: 100, durationSeconds: 60 * 60 }),
};

/**
 * Emails a single-use reset link to an active member (inside the caller's transaction).
 * `requestedBy`: the administrator who sent it, or null when the person asked (by "Forgot
 * password?", or by "This wasn't me", which says so in the email).
 */
export async function sendPasswordReset(
  tx: Executor,
  user: { id: string; accountId: string; email: string },
  requestedBy: string | null,
  reason: ResetReason = requestedBy === null ? "asked" : "admin",
) {
  const token = randomToken(32);
  await tx.insert(passwordResets).values({
    userId: user.id,
    tokenHash: sha256(token),
    requestedBy,
    expiresAt: sql`now() + make_interval(mins => ${RESET_TTL_MINUTES})`,
  });
  await enqueueEmail(tx, {
    accountId: user.accountId,
    to: user.email,
    kind: "password-reset",
    ...passwordResetEmail({ link: `${config().appUrl}/reset-password/${token}`, reason }),
  });
}

/**
 * P1 "Forgot password": the caller always shows RESET_SENT_MESSAGE, whether or not the
 * address exists and whether or not a limit was reached (no enumeration): requests over
 * a limit are dropped silently.
 */
export async function requestPasswordReset(tx: Tx, email: string, context: RequestContext) {
  const key = email.trim().toLowerCase();
  // Every request counts against its IP, known address or not. The IP first: a request
  // refused for its IP uses up nothing of the address's allowance.
  if ((await resetThrottles.perIp.allow(tx, context.ip ?? "unknown")).allowed === false) return;
  if ((await resetThrottles.perAddress.allow(tx, key)).allowed === false) return;
  const user = await findUserByEmail(tx, key);
  if (!user || user.status !== "active" || !user.passwordHash) return;
  // Counted only for mail that would go out: unknown addresses cannot use up a tenant's allowance.
  if ((await resetThrottles.perAccount.allow(tx, user.accountId)).allowed === false) return;
  await sendPasswordReset(tx, user, null);
  await recordAudit(tx, { accountId: user.accountId, actorId: user.id, action: "password.reset_requested", target: { type: "user", id: user.id }, context });
}

export type ResetState = { state: "valid"; resetId: string; userId: string; email: string; name: string } | { state: "invalid" | "expired" | "used" };

export async function lookUpPasswordReset(db: Executor, token: string, lock = false): Promise<ResetState> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { state: "invalid" };
  const query = db
    .select({ reset: passwordResets, expired: sql<boolean>`${passwordResets.expiresAt} <= now()`, user: { email: users.email, name: users.name, status: users.status } })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(eq(passwordResets.tokenHash, sha256(token)))
    .limit(1);
  const [row] = lock ? await query.for("update", { of: passwordResets }) : await query;
  if (!row || row.user.status !== "active") return { state: "invalid" };
  if (row.reset.usedAt) return { state: "used" };
  if (row.expired) return { state: "expired" };
  return { state: "valid", resetId: row.reset.id, userId: row.reset.userId, email: row.user.email, name: row.user.name };
}

const RESET_ENDED = {
  invalid: "This reset link is not valid.",
  expired: "This reset link has expired. Ask for a new one.",
  used: "This reset link has already been used.",
};

/**
 * P1: a new password through an emailed link, in the caller's transaction: the link is
 * locked and spent, the password must be strong, and setNewPassword does the rest.
 */
export async function resetPasswordWithLink(
  tx: Tx,
  input: { token: string; password: string },
  context: RequestContext,
): Promise<{ done: true } | { error: string } | { fieldErrors: { password: string } }> {
  const reset = await lookUpPasswordReset(tx, input.token, true);
  if (reset.state !== "valid") return { error: RESET_ENDED[reset.state] };
  const problems = newPasswordProblems(input.password, [reset.email, reset.name]);
  if (problems.length) return { fieldErrors: { password: describePasswordProblems(problems) } };
  await markPasswordResetUsed(tx, reset.resetId);
  const user = await findUserContact(tx, reset.userId);
  // Every session ends: whoever knew the old password is out.
  await setNewPassword(tx, user, input.password, { context, action: "password.reset" });
  return { done: true };
}

/**
 * Sets a new password and ends the user's sessions (all of them, or all but the one
 * named) and sign-ins under way, then tells them by email — one transaction.
 */
export async function setNewPassword(
  tx: Executor,
  user: { id: string; accountId: string; email: string },
  password: string,
  options: { keepSessionId?: string; context: RequestContext; action: "password.changed" | "password.reset" },
) {
  // A new password also lifts the reset "This wasn't me" required.
  await tx.update(users).set({ passwordHash: await hashPassword(password), passwordResetRequiredAt: null }).where(eq(users.id, user.id));
  await tx
    .delete(sessions)
    .where(and(eq(sessions.userId, user.id), options.keepSessionId ? ne(sessions.idHash, sha256(options.keepSessionId)) : undefined));
  // A sign-in begun with the old password must not finish with it.
  await deletePendingSignIns(tx, user.id);
  // Any reset link still out there dies with the old password.
  await tx.update(passwordResets).set({ usedAt: sql`now()` }).where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
  await sendSecurityNotice(tx, user, "password-changed");
  await recordAudit(tx, { accountId: user.accountId, actorId: user.id, action: options.action, target: { type: "user", id: user.id }, context: options.context });
}
