"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { SECOND_FACTOR_COOKIE } from "@/lib/auth/complete-sign-in";
import { signIn } from "@/lib/auth/next-auth";
import { safeNextPath } from "@/lib/auth/safe-next";
import { countSecondFactorFailure, findSecondFactorGrant, promoteGrant } from "@/lib/auth/sign-in-grants";
import { describeWait } from "@/lib/auth/throttle";
import { secondFactorGuesses } from "@/lib/auth/totp";
import { authenticationResponseSchema, type AuthenticationResponse } from "@/lib/passkeys/ceremony";
import { setChallengeCookie, takeChallengeCookie } from "@/lib/passkeys/cookie";
import { acceptPasskeySecondFactor, secondFactorOptions } from "@/lib/passkeys/sign-in";
import { recordSignInAttempt } from "@/lib/activity/record";
import { requestContext } from "@/lib/request";
import type { PasskeyOptionsResult } from "../passkey-actions";
import type { VerifyState } from "./actions";

const EXPIRED = "Your sign-in has expired or had too many wrong attempts. Sign in again.";
const NOT_ACCEPTED = "That passkey was not accepted. Try again, or use a code.";

/** B1 "Use a passkey" at the second step, 1: a challenge for this person's passkeys, bound to this pending sign-in. */
export async function startPasskeySecondFactor(): Promise<PasskeyOptionsResult> {
  const grantToken = (await cookies()).get(SECOND_FACTOR_COOKIE)?.value;
  const db = await getDb();
  const pending = await findSecondFactorGrant(db, grantToken);
  if (!pending || !grantToken) return { ok: false, expired: true, error: EXPIRED };
  const ceremony = await secondFactorOptions(db, { userId: pending.user.id, grantToken });
  if (!ceremony.ok) return ceremony;
  await setChallengeCookie(ceremony.token);
  return { ok: true, options: ceremony.options };
}

/** 2: the passkey's assertion instead of a code. Counted and limited as codes are (P3); only a verified one opens the session. */
export async function verifyPasskeySecondFactor(response: unknown, next: unknown): Promise<VerifyState> {
  const jar = await cookies();
  const grantToken = jar.get(SECOND_FACTOR_COOKIE)?.value;
  const challengeToken = await takeChallengeCookie();
  const parsed = authenticationResponseSchema.safeParse(response);
  const db = await getDb();
  const context = await requestContext();

  const outcome = await db.transaction(async (tx) => {
    const pending = await findSecondFactorGrant(tx, grantToken, true);
    if (!pending || !grantToken) return { expired: true } as const;
    const quota = await secondFactorGuesses.allow(tx, pending.user.id);
    // O2: the second step's refusals are attempts of this person's, recorded in this transaction.
    const attempt = { method: "password" as const, user: pending.user, detail: "second step: passkey", context };
    if (!quota.allowed) {
      await recordSignInAttempt(tx, { ...attempt, result: "throttled" });
      return { error: `Too many attempts. Try again in ${describeWait(quota.retryAfterSeconds)}.` } as const;
    }
    const accepted = parsed.success
      ? await acceptPasskeySecondFactor(tx, { userId: pending.user.id, grantToken, challengeToken, response: parsed.data as AuthenticationResponse }, context)
      : { ok: false as const };
    if (!accepted.ok) {
      await countSecondFactorFailure(tx, grantToken);
      await recordSignInAttempt(tx, { ...attempt, result: "two_factor_failed" });
      return { error: NOT_ACCEPTED } as const;
    }
    await secondFactorGuesses.refund(tx, pending.user.id);
    await promoteGrant(tx, grantToken);
    return { token: grantToken } as const;
  });

  if ("expired" in outcome) {
    jar.delete({ name: SECOND_FACTOR_COOKIE, path: "/sign-in" });
    return { expired: true, error: EXPIRED };
  }
  if ("error" in outcome) return { error: outcome.error };
  await signIn("credentials", { grant: outcome.token, redirect: false });
  jar.delete({ name: SECOND_FACTOR_COOKIE, path: "/sign-in" });
  redirect(safeNextPath(next));
}
