import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";

/**
 * For tests: a software WebAuthn authenticator (ES256, "none" attestation) that answers a
 * browser's options as a real one does — keys from node:crypto, CBOR from SimpleWebAuthn's
 * own encoder — and can misbehave on request (another origin or RP ID, no user
 * verification, a counter of its choosing), so tests check what the server refuses.
 */
type Stored = { privateKey: KeyObject; rpId: string; userHandle: string; counter: number };

export type Misbehaviour = { origin?: string; rpId?: string; userVerified?: boolean; counter?: number; userHandle?: string };

const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash("sha256").update(data).digest());
const u32 = (n: number) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
};
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const flags = (input: { userVerified: boolean; attested: boolean }) => new Uint8Array([0x01 | (input.userVerified ? 0x04 : 0) | (input.attested ? 0x40 : 0)]);
const b64 = (bytes: Uint8Array | string) => isoBase64URL.fromBuffer(typeof bytes === "string" ? new Uint8Array(Buffer.from(bytes)) : new Uint8Array(bytes));

export class SoftAuthenticator {
  readonly credentials = new Map<string, Stored>();

  /** `counterless`: always reports 0, as synced passkeys do (then only the single-use challenge stops a replay). */
  constructor(private readonly options: { counterless?: boolean } = {}) {}

  /** navigator.credentials.create, as @simplewebauthn/browser's startRegistration returns it. */
  create(options: PublicKeyCredentialCreationOptionsJSON, origin: string, misbehave: Misbehaviour = {}) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const cose = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, new Uint8Array(Buffer.from(jwk.x!, "base64url"))],
      [-3, new Uint8Array(Buffer.from(jwk.y!, "base64url"))],
    ]);
    const credentialId = new Uint8Array(randomBytes(32));
    const id = b64(credentialId);
    const rpId = misbehave.rpId ?? options.rp.id!;
    const idLength = new Uint8Array([credentialId.length >> 8, credentialId.length & 0xff]);
    const authData = concat(sha256(rpId), flags({ userVerified: misbehave.userVerified ?? true, attested: true }), u32(0), new Uint8Array(16), idLength, credentialId, isoCBOR.encode(cose));
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]) as never);
    const clientDataJSON = JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin: misbehave.origin ?? origin, crossOrigin: false });
    this.credentials.set(id, { privateKey, rpId: options.rp.id!, userHandle: options.user.id, counter: 0 });
    return {
      id,
      rawId: id,
      type: "public-key" as const,
      response: { clientDataJSON: b64(clientDataJSON), attestationObject: b64(attestationObject), transports: ["internal"] },
      clientExtensionResults: {},
    };
  }

  /** navigator.credentials.get, as startAuthentication returns it; the signature count goes up by one. */
  get(options: PublicKeyCredentialRequestOptionsJSON, origin: string, misbehave: Misbehaviour & { credentialId?: string } = {}) {
    const allowed = options.allowCredentials?.map((credential) => credential.id);
    const [id, stored] =
      [...this.credentials].find(([candidate, credential]) => (misbehave.credentialId ? candidate === misbehave.credentialId : credential.rpId === options.rpId && (!allowed?.length || allowed.includes(candidate)))) ?? [];
    if (!id || !stored) throw new Error("NotAllowedError: no credential for these options");
    // A counter given on request is reported once; the authenticator's own goes on from where it was.
    if (misbehave.counter === undefined && !this.options.counterless) stored.counter += 1;
    const authData = concat(sha256(misbehave.rpId ?? stored.rpId), flags({ userVerified: misbehave.userVerified ?? true, attested: false }), u32(misbehave.counter ?? stored.counter));
    const clientDataJSON = JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin: misbehave.origin ?? origin, crossOrigin: false });
    const signature = sign("sha256", concat(authData, sha256(clientDataJSON)), stored.privateKey);
    return {
      id,
      rawId: id,
      type: "public-key" as const,
      response: { clientDataJSON: b64(clientDataJSON), authenticatorData: b64(authData), signature: b64(new Uint8Array(signature)), userHandle: misbehave.userHandle ?? stored.userHandle },
      clientExtensionResults: {},
    };
  }

  /** A copy holding the same keys and counters: a cloned authenticator. */
  clone(): SoftAuthenticator {
    const copy = new SoftAuthenticator(this.options);
    for (const [id, stored] of this.credentials) copy.credentials.set(id, { ...stored });
    return copy;
  }
}
