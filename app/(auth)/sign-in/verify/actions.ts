"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { SECOND_FACTOR_COOKIE } from "@/lib/auth/complete-sign-in";
import { signIn } from "@/lib/auth/next-auth";
import { countSecondFactorFailure, findSecondFactorGrant, promoteGrant } from "@/lib/auth/sign-in-grants";
import { describeWait } from "@/lib/auth/throttle";
import { acceptSecondFactor, secondFactorGuesses } from "@/lib/auth/totp";
import { safeNextPath } from "@/lib/auth/safe-next";
import { recordSignInAttempt } from "@/lib/activity/record";
import { requestContext } from "@/lib/request";

export type VerifyState = { error?: string; expired?: boolean };

/** P3: the second step. Only a right code turns the half-signed-in state into a session. */
export async function verifySecondFactorAction(_prev: VerifyState, form: FormData): Promise<VerifyState> {
  const code = String(form.get("code") ?? "").trim();
  if (!code) return { error: "Enter the 6-digit code from your authenticator app, or a backup code." };
  if (code.length > 32) return { error: "That code is not right." };
  const jar = await cookies();
  const token = jar.get(SECOND_FACTOR_COOKIE)?.value;
  const db = await getDb();
  const context = await requestContext();

  const outcome = await db.transaction(async (tx) => {
    const pending = await findSecondFactorGrant(tx, token, true);
    if (!pending || !token) return { expired: true } as const;
    // Counted before the code is checked (parallel attempts cannot slip past the limit); a right code gives it back.
    const quota = await secondFactorGuesses.allow(tx, pending.user.id);
    // O2: the second step's refusals are attempts of this person's, recorded in this transaction.
    const attempt = { method: "password" as const, user: pending.user, detail: "second step: code", context };
    if (!quota.allowed) {
      await recordSignInAttempt(tx, { ...attempt, result: "throttled" });
      return { error: `Too many attempts. Try again in ${describeWait(quota.retryAfterSeconds)}.` } as const;
    }
    const method = await acceptSecondFactor(tx, pending.user.id, code);
    if (!method) {
      await countSecondFactorFailure(tx, token);
      await recordSignInAttempt(tx, { ...attempt, result: "two_factor_failed" });
      return { error: "That code is not right, or it was already used." } as const;
    }
    await secondFactorGuesses.refund(tx, pending.user.id);
    await promoteGrant(tx, token);
    if (method === "backup-code") {
      await recordAudit(tx, { accountId: pending.user.accountId, actorId: pending.user.id, action: "two_factor.backup_code_used", target: { type: "user", id: pending.user.id }, context });
    }
    return { token } as const;
  });

  if ("expired" in outcome) {
    jar.delete({ name: SECOND_FACTOR_COOKIE, path: "/sign-in" });
    return { expired: true, error: "Your sign-in has expired or had too many wrong codes. Sign in again." };
  }
  if ("error" in outcome) return { error: outcome.error };
  await signIn("credentials", { grant: outcome.token, redirect: false });
  jar.delete({ name: SECOND_FACTOR_COOKIE, path: "/sign-in" });
  redirect(safeNextPath(form.get("next")));
}
