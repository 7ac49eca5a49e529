import type { Executor } from "@/db/client";
import { insertSignInAttempt } from "@/db/queries/activity";
import { normaliseEmail } from "@/db/queries/users";
import { Throttle } from "@/lib/auth/throttle";
import { now } from "@/lib/clock";
import type { RequestContext } from "@/lib/request";
import type { SignInMethod, SignInResult } from "./results";

export type SignInAttemptInput = {
  method: SignInMethod;
  result: SignInResult;
  /** Whose account the attempt concerns, when anyone's (null: an address or passkey of nobody's). */
  user?: { id: string; accountId: string; email?: string } | null;
  /** The account, when it is known but the person is not (an SSO refusal through its identity provider). */
  accountId?: string | null;
  /** The address typed or given by the identity provider; the user's own when none was typed. */
  email?: string | null;
  /** A short reason that is no secret (an SSO refusal's code, an API key's prefix). */
  detail?: string | null;
  context: RequestContext;
};

/**
 * O2: one sign-in attempt, in the caller's transaction when there is one (so a refused
 * second factor and its count, or a session and its "signed in", commit together). Takes
 * no password, code or key: nothing secret can reach the table through this signature.
 */
export async function recordSignInAttempt(db: Executor, attempt: SignInAttemptInput) {
  const typed = attempt.email ?? attempt.user?.email ?? null;
  await insertSignInAttempt(db, {
    accountId: attempt.user?.accountId ?? attempt.accountId ?? null,
    userId: attempt.user?.id ?? null,
    email: typed === null ? null : normaliseEmail(typed).slice(0, 320),
    result: attempt.result,
    method: attempt.method,
    detail: attempt.detail?.slice(0, 200) ?? null,
    ip: attempt.context.ip,
    userAgent: attempt.context.userAgent?.slice(0, 500) ?? null,
    createdAt: now(),
  });
}

// Refused attempts cost an attacker nothing (no Argon2 runs): at most one row a minute per
// address and client address, so a flood of them cannot fill the table.
const throttledRows = new Throttle({ name: "activity:throttled", points: 1, durationSeconds: 60 });

/** O2: a sign-in refused for too many attempts — recorded once a minute per address and client address. */
export async function recordThrottledAttempt(db: Executor, attempt: Omit<SignInAttemptInput, "result">) {
  const key = `${attempt.method}:${attempt.email ?? attempt.user?.id ?? ""}:${attempt.context.ip ?? "unknown"}`;
  if (!(await throttledRows.allow(db, key)).allowed) return;
  await recordSignInAttempt(db, { ...attempt, result: "throttled" });
}
