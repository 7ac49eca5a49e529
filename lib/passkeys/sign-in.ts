import { generateAuthenticationOptions } from "@simplewebauthn/server";
import type { Db, Executor } from "@/db/client";
import { findPasskeyForAssertion, passkeyCredentialsOf } from "@/db/queries/passkeys";
import { recordSignInAttempt, recordThrottledAttempt } from "@/lib/activity/record";
import { recordAudit } from "@/lib/audit";
import { signInRefusal, signInThrottles } from "@/lib/auth/credentials";
import { describeWait, Throttle } from "@/lib/auth/throttle";
import type { RequestContext } from "@/lib/request";
import type { SignInResult } from "@/lib/activity/results";
import { verifyPasskeyAssertion, type AssertionRefusal, type FoundPasskey } from "./assertion";
import { PASSKEY_CEREMONY_TIMEOUT_MS, relyingParty, storeChallenge, takeChallenge, type AuthenticationResponse } from "./ceremony";

export const PASSKEY_NOT_ACCEPTED = "That passkey could not sign you in. Try again, or sign in with your email and password.";
export const PASSKEY_EXPIRED = "Your passkey sign-in took too long or was already used. Try again.";

// Challenges for people not signed in yet are rows anyone can make: a few a minute per address.
const passwordlessChallenges = new Throttle({ name: "signin:passkey-challenge", points: 30, durationSeconds: 15 * 60 });

export type Ceremony = { ok: true; options: Awaited<ReturnType<typeof generateAuthenticationOptions>>; token: string } | { ok: false; error: string };

/** "Sign in with a passkey", step 1: a challenge for any passkey of ours (discoverable credentials). */
export async function passwordlessOptions(db: Executor, context: RequestContext): Promise<Ceremony> {
  const quota = await passwordlessChallenges.allow(db, context.ip ?? "unknown");
  if (!quota.allowed) return { ok: false, error: `Too many sign-in attempts. Try again in ${describeWait(quota.retryAfterSeconds)}.` };
  const options = await generateAuthenticationOptions({ rpID: relyingParty().id, userVerification: "required", timeout: PASSKEY_CEREMONY_TIMEOUT_MS });
  const token = await storeChallenge(db, { ceremony: "sign-in", userId: null, binding: null }, options.challenge);
  return { ok: true, options, token };
}

async function auditRefusal(tx: Executor, found: FoundPasskey, reason: AssertionRefusal, context: RequestContext) {
  // Nobody is known to be acting: the passkey's owner is the target, and a clone shows up here.
  await recordAudit(tx, {
    accountId: found.user.accountId,
    actorId: null,
    action: "passkey.refused",
    target: { type: "user", id: found.user.id },
    details: { passkeyId: found.passkey.id, name: found.passkey.name, reason },
    context,
  });
}

/**
 * "Sign in with a passkey", step 2 (B1). The same rules as a password (lib/auth/credentials):
 * counted per address before anything is checked, only an active member, and signInRefusal
 * (access ended, SSO only, a password to reset); a verified passkey with
 * user verification is both factors, so no second step follows. Opens nothing: the caller
 * turns the returned person into a session as every sign-in does (completeSignIn).
 */
export async function signInWithPasskey(
  db: Db,
  input: { challengeToken: string | undefined; response: AuthenticationResponse },
  context: RequestContext,
): Promise<{ ok: true; userId: string } | { ok: false; error: string }> {
  const ipKey = context.ip ?? "unknown";
  const byIp = await signInThrottles.perIp.allow(db, ipKey);
  if (!byIp.allowed) {
    await recordThrottledAttempt(db, { method: "passkey", context });
    return { ok: false, error: `Too many sign-in attempts. Try again in ${describeWait(byIp.retryAfterSeconds)}.` };
  }
  return db.transaction(async (tx) => {
    // O2: each refusal is recorded in this transaction, for the passkey's owner when it has one.
    const refused = async (result: SignInResult, user: FoundPasskey["user"] | null, error: string) => {
      await recordSignInAttempt(tx, { method: "passkey", result, user, context });
      return { ok: false, error } as const;
    };
    const challengeMatches = await takeChallenge(tx, input.challengeToken, { ceremony: "sign-in", userId: null, binding: null });
    if (!challengeMatches) return refused("timed_out", null, PASSKEY_EXPIRED);
    const found = await findPasskeyForAssertion(tx, input.response.id);
    if (!found) return refused("unknown_user", null, PASSKEY_NOT_ACCEPTED);
    const verdict = await verifyPasskeyAssertion(tx, found, input.response, challengeMatches);
    if (!verdict.ok) {
      await auditRefusal(tx, found, verdict.reason, context);
      return refused("passkey_refused", found.user, PASSKEY_NOT_ACCEPTED);
    }
    // Checked once the passkey proved itself, so an assertion tells nothing of its owner first.
    if (found.user.status !== "active") return refused(found.user.status === "disabled" ? "disabled" : "invited", found.user, PASSKEY_NOT_ACCEPTED);
    // The rules of every sign-in (lib/auth/credentials): access ended (A5), SSO only (T7), and
    // after "This wasn't me" (O4) nothing signs in until a new password is set — a passkey
    // someone else added included (the person removes it once back in).
    const refusal = await signInRefusal(tx, found.user);
    if (refusal) return refused(refusal.result, found.user, refusal.message);
    await signInThrottles.perIp.refund(tx, ipKey);
    await recordAudit(tx, {
      accountId: found.user.accountId,
      actorId: found.user.id,
      action: "passkey.signed_in",
      target: { type: "user", id: found.user.id },
      details: { passkeyId: found.passkey.id, name: found.passkey.name, step: "passwordless" },
      context,
    });
    return { ok: true, userId: found.user.id } as const;
  });
}

/** The second step after a password, step 1: a challenge for this person's own passkeys, bound to their pending sign-in. */
export async function secondFactorOptions(db: Executor, pending: { userId: string; grantToken: string }): Promise<Ceremony> {
  const credentials = await passkeyCredentialsOf(db, pending.userId);
  if (credentials.length === 0) return { ok: false, error: "You have no passkey. Enter a code from your authenticator app." };
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().id,
    allowCredentials: credentials.map((credential) => ({ id: credential.id, transports: credential.transports })),
    userVerification: "required",
    timeout: PASSKEY_CEREMONY_TIMEOUT_MS,
  });
  const token = await storeChallenge(db, { ceremony: "second-factor", userId: pending.userId, binding: pending.grantToken }, options.challenge);
  return { ok: true, options, token };
}

/**
 * The second step, step 2: an assertion of one of this person's passkeys, answering the
 * challenge of this very sign-in. The caller counts failures and promotes the grant.
 */
export async function acceptPasskeySecondFactor(
  tx: Executor,
  input: { userId: string; grantToken: string; challengeToken: string | undefined; response: AuthenticationResponse },
  context: RequestContext,
): Promise<{ ok: true } | { ok: false; expired?: boolean }> {
  const challengeMatches = await takeChallenge(tx, input.challengeToken, { ceremony: "second-factor", userId: input.userId, binding: input.grantToken });
  if (!challengeMatches) return { ok: false, expired: true };
  const found = await findPasskeyForAssertion(tx, input.response.id, input.userId);
  if (!found) return { ok: false };
  const verdict = await verifyPasskeyAssertion(tx, found, input.response, challengeMatches);
  if (!verdict.ok) {
    await auditRefusal(tx, found, verdict.reason, context);
    return { ok: false };
  }
  await recordAudit(tx, {
    accountId: found.user.accountId,
    actorId: found.user.id,
    action: "passkey.signed_in",
    target: { type: "user", id: found.user.id },
    details: { passkeyId: found.passkey.id, name: found.passkey.name, step: "second factor" },
    context,
  });
  return { ok: true };
}
