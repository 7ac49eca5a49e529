import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { config } from "@/lib/config";

/** A URL-safe random token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Tokens and codes are stored only as this hash. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Constant-time comparison of two strings (hashes, codes). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Compare equal-length buffers so the time does not reveal where they differ.
  return left.length === right.length ? timingSafeEqual(left, right) : (timingSafeEqual(left, left), false);
}

/** AES-256-GCM; the output is versioned so the key can be rotated later. */
export function encrypt(plaintext: string, key: Buffer = config().encryptionKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function decrypt(ciphertext: string, key: Buffer = config().encryptionKey): string {
  const [version, iv, tag, body] = ciphertext.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("Unreadable ciphertext");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/** HMAC-SHA256 under a key derived from the server key: for short codes, whose plain hash is trivially reversed. */
export function keyedHash(purpose: string, value: string, key: Buffer = config().encryptionKey): string {
  return createHmac("sha256", key).update(`${purpose}\0${value}`).digest("hex");
}

/** A uniformly random string of `digits` decimal digits. */
export function randomDigits(digits = 6): string {
  return randomInt(0, 10 ** digits).toString().padStart(digits, "0");
}
