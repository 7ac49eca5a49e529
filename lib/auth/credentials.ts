import { z } from "zod";
import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { identityProviders } from "@/db/schema";
import { countPasskeys } from "@/db/queries/passkeys";
import { findUserByEmail, normaliseEmail } from "@/db/queries/users";
import { recordSignInAttempt, recordThrottledAttempt } from "@/lib/activity/record";
import { ACCESS_EXPIRED, accessEnded } from "@/lib/expiry/validate";
import type { RequestContext } from "@/lib/request";
import { MAX_PASSWORD_LENGTH, verifyPassword } from "./password";
import { describeWait, Throttle } from "./throttle";

// P1: failures are counted per address (whether or not it exists) and per IP.
export const signInThrottles = {
  perEmail: new Throttle({ name: "signin:email", points: 5, durationSeconds: 15 * 60 }),
  perIp: new Throttle({ name: "signin:ip", points: 50, durationSeconds: 60 * 60 }),
};

export const signInSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Enter your email address.")
    .max(320, "That email address is too long.")
    .pipe(z.email("Enter a valid email address.")),
  password: z
    .string()
    .min(1, "Enter your password.")
    .max(MAX_PASSWORD_LENGTH, `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.`),
});

export const INVALID_CREDENTIALS = "Incorrect email or password.";
export const SSO_ONLY = "Your organisation signs in with single sign-on. Use Continue with SSO.";
/** O4: after "This wasn't me" the old password opens nothing; said only once the password was right. */
export const RESET_REQUIRED = "Your password must be reset before you can sign in: use the link we emailed you, or ask for a new one with Forgot password?";

export type PasswordCheck =
  | { ok: true; user: { id: string; email: string; twoFactor: boolean } }
  | { ok: false; error: string; reason: "invalid" | "throttled" };

/**
 * Who may sign in at all, whatever proved it is them — a password or a passkey (B1): not
 * once their access has ended (A5), not in an account that signs in through its identity
 * provider only (T7), not while "This wasn't me" requires a new password (O4). Said only to
 * whoever proved it, so a stranger learns nothing about whether the address exists.
 */
export async function signInRefusal(
  db: Executor,
  user: { accountId: string; accessExpiresAt: Date | null; passwordResetRequiredAt: Date | null },
): Promise<{ message: string; result: "expired" | "sso_only" | "reset_required" } | null> {
  if (accessEnded(user.accessExpiresAt)) return { message: ACCESS_EXPIRED, result: "expired" };
  if (await signsInThroughIdpOnly(db, user.accountId)) return { message: SSO_ONLY, result: "sso_only" };
  if (user.passwordResetRequiredAt) return { message: RESET_REQUIRED, result: "reset_required" };
  return null;
}

/** T7: an account whose members sign in through its identity provider only — not with a password, nor a passkey (B1). */
export async function signsInThroughIdpOnly(db: Executor, accountId: string): Promise<boolean> {
  const [idp] = await db.select({ ssoOnly: identityProviders.ssoOnly }).from(identityProviders).where(eq(identityProviders.accountId, accountId));
  return Boolean(idp?.ssoOnly);
}

/**
 * The first factor. Unknown address, wrong password and disabled or invited user all
 * get the same answer, in the same time; failures are throttled per address and per IP.
 * Opens nothing: the caller asks for the second factor or issues a sign-in grant.
 */
export async function checkPassword(db: Executor, input: { email: string; password: string }, context: RequestContext): Promise<PasswordCheck> {
  const email = normaliseEmail(input.email);
  const ipKey = context.ip ?? "unknown";
  // Every attempt is counted before the password is checked, in one atomic upsert, so a
  // burst of parallel guesses cannot slip past the limit while Argon2 runs; a right
  // password gives it back. The IP first: a request refused for its IP uses up nothing of
  // the address's attempts (or one IP could lock any number of people out).
  const byIp = await signInThrottles.perIp.allow(db, ipKey);
  const byEmail = byIp.allowed ? await signInThrottles.perEmail.allow(db, email) : byIp;
  if (!byEmail.allowed) {
    // O2: whose address was being tried is what an administrator needs to see.
    const target = await findUserByEmail(db, email);
    await recordThrottledAttempt(db, { method: "password", user: target, email, context });
    return { ok: false, reason: "throttled", error: `Too many sign-in attempts. Try again in ${describeWait(byEmail.retryAfterSeconds)}.` };
  }

  const user = await findUserByEmail(db, email);
  const passwordOk = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !passwordOk || user.status !== "active") {
    // O2: the reason is recorded for administrators; the person is told the same thing whatever it is.
    const result = !user ? "unknown_user" : !passwordOk ? "wrong_password" : user.status === "disabled" ? "disabled" : "invited";
    await recordSignInAttempt(db, { method: "password", result, user, email, context });
    return { ok: false, reason: "invalid", error: INVALID_CREDENTIALS };
  }
  await signInThrottles.perEmail.reset(db, email);
  await signInThrottles.perIp.refund(db, ipKey);
  const refusal = await signInRefusal(db, user);
  if (refusal) {
    await recordSignInAttempt(db, { method: "password", result: refusal.result, user, email, context });
    return { ok: false, reason: "invalid", error: refusal.message };
  }
  // B1: a passkey is a second factor as an authenticator app is.
  const twoFactor = Boolean(user.totpEnabledAt) || (await countPasskeys(db, user.id)) > 0;
  return { ok: true, user: { id: user.id, email: user.email, twoFactor } };
}
