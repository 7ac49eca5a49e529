import { generateRegistrationOptions, verifyRegistrationResponse, type RegistrationResponseJSON } from "@simplewebauthn/server";
import type { Executor } from "@/db/client";
import { countPasskeys, insertPasskey, passkeyCredentialsOf } from "@/db/queries/passkeys";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { sendSecurityNotice } from "@/lib/security-notices/notices";
import {
  knownTransports,
  MAX_PASSKEYS,
  PASSKEY_CEREMONY_TIMEOUT_MS,
  relyingParty,
  storeChallenge,
  takeChallenge,
  userHandleOf,
  type RegistrationResponse,
} from "./ceremony";

export const TOO_MANY_PASSKEYS = `You have ${MAX_PASSKEYS} passkeys, the most one person can have. Remove one you no longer use first.`;
export const REGISTRATION_EXPIRED = "Adding the passkey took too long or was already finished. Start again.";

/** A registration belongs to the session that proved it is the person (password or emailed code). */
function sessionOf(principal: Principal): string {
  if (principal.via.kind !== "session") refuse("Passkeys are added in the console.", "forbidden");
  return principal.via.sessionId;
}

export async function assertRoomForPasskey(db: Executor, principal: Principal) {
  if ((await countPasskeys(db, principal.id)) >= MAX_PASSKEYS) refuse(TOO_MANY_PASSKEYS);
}

/**
 * B1, adding a passkey, step 1 — after a fresh proof (the caller's): creation options for
 * the browser (a discoverable credential with user verification, none of the person's
 * passkeys again) and the challenge, bound to this person and session.
 */
export async function startPasskeyRegistration(db: Executor, principal: Principal) {
  await assertRoomForPasskey(db, principal);
  const rp = relyingParty();
  const existing = await passkeyCredentialsOf(db, principal.id);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: principal.email,
    userDisplayName: principal.name || principal.email,
    userID: userHandleOf(principal.id),
    attestationType: "none",
    excludeCredentials: existing.map((credential) => ({ id: credential.id, transports: credential.transports })),
    // A passkey: it names the person itself (passwordless sign-in) and checks who holds it.
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    timeout: PASSKEY_CEREMONY_TIMEOUT_MS,
  });
  const token = await storeChallenge(db, { ceremony: "registration", userId: principal.id, binding: sessionOf(principal) }, options.challenge);
  return { options, token };
}

/**
 * Spends the registration challenge the browser's cookie names — on its own, before the
 * change's transaction, so a refused attestation cannot be tried again with it.
 */
export async function takeRegistrationChallenge(db: Executor, principal: Principal, challengeToken: string | undefined) {
  const challengeMatches = await takeChallenge(db, challengeToken, { ceremony: "registration", userId: principal.id, binding: sessionOf(principal) });
  if (!challengeMatches) refuse(REGISTRATION_EXPIRED);
  return challengeMatches;
}

/**
 * B1, adding a passkey, step 2: SimpleWebAuthn verifies the new credential (our challenge,
 * origin and RP ID, user presence and verification); it is stored with its name, the person
 * is emailed and the change audited.
 */
export async function finishPasskeyRegistration(
  tx: Executor,
  { principal, request }: Actor,
  input: { name: string; response: RegistrationResponse; challengeMatches: (challenge: string) => boolean },
) {
  const rp = relyingParty();
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response as RegistrationResponseJSON,
      expectedChallenge: input.challengeMatches,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch {
    refuse("Your browser's answer could not be verified, so no passkey was added. Start again.");
  }
  if (!verification.verified) refuse("Your browser's answer could not be verified, so no passkey was added. Start again.");
  const info = verification.registrationInfo;
  await assertRoomForPasskey(tx, principal);
  const stored = await insertPasskey(tx, {
    userId: principal.id,
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey),
    counter: info.credential.counter,
    transports: knownTransports(info.credential.transports ?? input.response.response.transports),
    aaguid: info.aaguid,
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    name: input.name,
  });
  if (!stored) refuse("This passkey is already added.");
  await sendSecurityNotice(tx, principal, "passkey-added", { name: input.name });
  await recordAuditBy(tx, { principal, request }, { action: "passkey.added", target: { type: "user", id: principal.id }, details: { passkeyId: stored.id, name: input.name } });
  return { id: stored.id, name: input.name };
}
