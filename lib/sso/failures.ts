import { AsyncLocalStorage } from "node:async_hooks";
import type { Executor } from "@/db/client";
import type { IdentityProvider } from "@/db/schema";
import { recordSignInAttempt } from "@/lib/activity/record";
import { recordAudit } from "@/lib/audit";
import { Throttle } from "@/lib/auth/throttle";
import type { RequestContext } from "@/lib/request";

/**
 * The IdP a "Continue with SSO" request is starting with: next-auth reports a failed
 * discovery (say, the IdP answering as another issuer) only to its logger, which then
 * knows which account it concerns.
 */
export const ssoAttempt = new AsyncLocalStorage<{ idp: Pick<IdentityProvider, "accountId" | "slug">; context: RequestContext; recorded: boolean }>();

/**
 * O1: an SSO sign-in through an account's IdP that was refused — wrong issuer or audience,
 * a bad signature, a failed check — is recorded for that account with the reason, so an
 * administrator can tell a misconfiguration from an attack. Only the error's message is
 * kept (never tokens or codes), and a flood of failures cannot fill the trail.
 */
// Anyone can make a callback fail: at most this many records per IdP and client address.
const records = new Throttle({ name: "sso:failed", points: 20, durationSeconds: 15 * 60 });

export async function recordSsoFailure(db: Executor, idp: Pick<IdentityProvider, "accountId" | "slug">, error: unknown, context: RequestContext) {
  if (!(await records.allow(db, `${idp.slug}:${context.ip ?? "unknown"}`)).allowed) return;
  const reason = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  await recordAudit(db, { accountId: idp.accountId, actorId: null, action: "sso.failed", target: { type: "identity_provider", id: idp.slug }, details: { reason }, context });
  // O2: a sign-in attempt too, for the account's Activity page (nobody known: the IdP refused first).
  await recordSignInAttempt(db, { method: "sso", result: "sso_refused", accountId: idp.accountId, detail: reason.slice(0, 200), context });
}
