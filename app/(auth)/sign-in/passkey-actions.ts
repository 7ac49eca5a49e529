"use server";

import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { completeSignIn } from "@/lib/auth/complete-sign-in";
import { safeNextPath } from "@/lib/auth/safe-next";
import { authenticationResponseSchema, type AuthenticationResponse } from "@/lib/passkeys/ceremony";
import { setChallengeCookie, takeChallengeCookie } from "@/lib/passkeys/cookie";
import { PASSKEY_NOT_ACCEPTED, passwordlessOptions, signInWithPasskey } from "@/lib/passkeys/sign-in";
import { requestContext } from "@/lib/request";

export type PasskeyOptionsResult = { ok: true; options: PublicKeyCredentialRequestOptionsJSON } | { ok: false; error: string; expired?: boolean };

/** B1 "Sign in with a passkey", step 1: a challenge for any of our passkeys; its token goes in an httpOnly cookie. */
export async function startPasskeySignIn(): Promise<PasskeyOptionsResult> {
  const ceremony = await passwordlessOptions(await getDb(), await requestContext());
  if (!ceremony.ok) return ceremony;
  await setChallengeCookie(ceremony.token);
  return { ok: true, options: ceremony.options };
}

/** Step 2: a verified passkey opens a session as every sign-in does (lib/passkeys/sign-in has the rules). */
export async function finishPasskeySignIn(response: unknown, next: unknown): Promise<{ error: string }> {
  const parsed = authenticationResponseSchema.safeParse(response);
  const challengeToken = await takeChallengeCookie();
  if (!parsed.success) return { error: PASSKEY_NOT_ACCEPTED };
  const db = await getDb();
  const outcome = await signInWithPasskey(db, { challengeToken, response: parsed.data as AuthenticationResponse }, await requestContext());
  if (!outcome.ok) return { error: outcome.error };
  await completeSignIn(db, outcome.userId, "passkey");
  redirect(safeNextPath(next));
}
