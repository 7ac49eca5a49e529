import { z } from "zod";
import type { Executor } from "@/db/client";
import { insertWebauthnChallenge, takeWebauthnChallenge, type WebauthnCeremony } from "@/db/queries/passkeys";
import { config } from "@/lib/config";
import { randomToken, safeEqual, sha256 } from "@/lib/crypto";

/** The httpOnly cookie naming the browser's WebAuthn challenge (its token; the database keeps the hash). */
export const PASSKEY_CHALLENGE_COOKIE = "roster_passkey_challenge";
export const PASSKEY_CHALLENGE_TTL_SECONDS = 5 * 60;
/** How long the browser waits for the person at the authenticator. */
export const PASSKEY_CEREMONY_TIMEOUT_MS = 2 * 60 * 1000;
export const MAX_PASSKEYS = 10;

/**
 * B1: who we are to an authenticator. From the configured URL, never from the request:
 * the RP ID is its host name (a domain; WebAuthn refuses an IP address), the origin the
 * one assertions must come from.
 */
export function relyingParty() {
  const url = new URL(config().appUrl);
  return { id: url.hostname, origin: url.origin, name: config().appName };
}

/** The user handle an authenticator stores with a passkey: the person's ID as 16 bytes (nothing personal). */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ""), "hex"));
}

export const userHandleText = (userId: string) => Buffer.from(userHandleOf(userId)).toString("base64url");

/** Who may answer a challenge: the person, and their session or pending sign-in (by hash). */
export type ChallengeBinding = { ceremony: WebauthnCeremony; userId: string | null; binding: string | null };

/** Stores a challenge the library generated; the browser's cookie gets the returned token. */
export async function storeChallenge(db: Executor, bound: ChallengeBinding, challenge: string): Promise<string> {
  const token = randomToken(32);
  await insertWebauthnChallenge(db, {
    tokenHash: sha256(token),
    ceremony: bound.ceremony,
    userId: bound.userId,
    bindingHash: bound.binding === null ? null : sha256(bound.binding),
    challengeHash: sha256(challenge),
    ttlSeconds: PASSKEY_CHALLENGE_TTL_SECONDS,
  });
  return token;
}

/**
 * Spends the challenge the browser's cookie names: it must be live, of this ceremony, and
 * bound to this person and session or sign-in. Returns the check for the challenge the
 * authenticator signed (constant time), or null. Spent even when what follows fails.
 */
export async function takeChallenge(db: Executor, token: string | undefined, bound: ChallengeBinding): Promise<((challenge: string) => boolean) | null> {
  if (!token || token.length > 100) return null;
  const row = await takeWebauthnChallenge(db, sha256(token), bound.ceremony);
  if (!row || row.userId !== bound.userId) return null;
  if (bound.binding !== null ? !row.bindingHash || !safeEqual(row.bindingHash, sha256(bound.binding)) : row.bindingHash !== null) return null;
  return (challenge: string) => typeof challenge === "string" && challenge.length <= 200 && safeEqual(sha256(challenge), row.challengeHash);
}

const base64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+$/);
const TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;
// Credential IDs are at most 1,023 bytes (WebAuthn L3); base64url makes that 1,364 characters.
const credentialId = base64url(1400);

/** What @simplewebauthn/browser's startRegistration returns, bounded before the library reads it. */
export const registrationResponseSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url(4096),
    attestationObject: base64url(64 * 1024),
    authenticatorData: base64url(64 * 1024).optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(8192).optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

/** What startAuthentication returns. */
export const authenticationResponseSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url(4096),
    authenticatorData: base64url(64 * 1024),
    signature: base64url(8192),
    userHandle: base64url(128).optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

export type RegistrationResponse = z.infer<typeof registrationResponseSchema>;
export type AuthenticationResponse = z.infer<typeof authenticationResponseSchema>;

/** Only the transports WebAuthn defines are kept (they are hints given back to browsers). */
export const knownTransports = (transports: readonly string[] | undefined) => (transports ?? []).filter((t): t is (typeof TRANSPORTS)[number] => (TRANSPORTS as readonly string[]).includes(t));
