import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from "@simplewebauthn/server";
import { isoBase64URL, parseAuthenticatorData } from "@simplewebauthn/server/helpers";
import type { Executor } from "@/db/client";
import { findPasskeyForAssertion, recordPasskeyUse } from "@/db/queries/passkeys";
import { safeEqual } from "@/lib/crypto";
import { relyingParty, userHandleText, type AuthenticationResponse } from "./ceremony";

export type FoundPasskey = NonNullable<Awaited<ReturnType<typeof findPasskeyForAssertion>>>;

/**
 * Why an assertion was refused, for the audit trail: `counter` — the authenticator's count
 * did not go up (a cloned authenticator, or an old assertion replayed); `raced` — another
 * request used the same count first; `invalid` — anything else (signature, challenge,
 * origin, RP ID, user verification, user handle).
 */
export type AssertionRefusal = "counter" | "raced" | "invalid";

/** The authenticator's signature count in the assertion, or null when it cannot be read. */
function reportedCounter(response: AuthenticationResponse): number | null {
  try {
    return parseAuthenticatorData(isoBase64URL.toBuffer(response.response.authenticatorData)).counter;
  } catch {
    return null;
  }
}

/**
 * B1: checks an assertion against a stored passkey with SimpleWebAuthn — the challenge
 * (single use, checked in constant time by `challengeMatches`), our origin and RP ID, user
 * presence and verification, the signature, and a counter above the stored one — then
 * records the use (the counter goes up in one conditional UPDATE). Never logs the response.
 */
export async function verifyPasskeyAssertion(
  tx: Executor,
  found: FoundPasskey,
  response: AuthenticationResponse,
  challengeMatches: (challenge: string) => boolean,
): Promise<{ ok: true } | { ok: false; reason: AssertionRefusal }> {
  const { passkey } = found;
  // A discoverable credential names its person: it must be the passkey's owner.
  if (response.response.userHandle !== undefined && !safeEqual(response.response.userHandle, userHandleText(found.user.id))) {
    return { ok: false, reason: "invalid" };
  }
  const rp = relyingParty();
  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challengeMatches,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.counter, transports: passkey.transports },
      requireUserVerification: true,
    });
  } catch {
    const counter = reportedCounter(response);
    const regressed = counter !== null && (counter > 0 || passkey.counter > 0) && counter <= passkey.counter;
    return { ok: false, reason: regressed ? "counter" : "invalid" };
  }
  if (!verification.verified) return { ok: false, reason: "invalid" };
  const { newCounter, credentialBackedUp } = verification.authenticationInfo;
  if (!(await recordPasskeyUse(tx, passkey.id, { counter: newCounter, backedUp: credentialBackedUp }))) return { ok: false, reason: "raced" };
  return { ok: true };
}
