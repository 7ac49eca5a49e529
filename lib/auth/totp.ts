import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { generateSecret, generateURI, verify } from "otplib";
import type { Executor } from "@/db/client";
import { backupCodes, users } from "@/db/schema";
import { config } from "@/lib/config";
import { decrypt, keyedHash, safeEqual } from "@/lib/crypto";
import { randomBytes } from "node:crypto";
import { Throttle } from "./throttle";

export const TOTP_PERIOD_SECONDS = 30;
export const BACKUP_CODE_COUNT = 10;

/** Wrong second-factor codes per user, wherever they are typed (sign-in, turning 2FA off), counted in the database. */
export const secondFactorGuesses = new Throttle({ name: "2fa:user", points: 10, durationSeconds: 15 * 60 });

export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an authenticator app reads from the QR code; the issuer is the product name. */
export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: config().appName, label: email, secret });
}

/**
 * otplib does the maths (RFC 6238, ±1 step for clock drift). It throws on malformed
 * input, which is simply a wrong code here.
 */
export async function checkTotp(secret: string, code: string): Promise<{ valid: true; timeStep: number } | { valid: false }> {
  if (!/^\d{6}$/.test(code)) return { valid: false };
  try {
    const result = await verify({ secret, token: code, epochTolerance: TOTP_PERIOD_SECONDS });
    // The functional API also covers HOTP, whose result has no time step.
    return result.valid && "timeStep" in result ? { valid: true, timeStep: result.timeStep } : { valid: false };
  } catch {
    return { valid: false };
  }
}

/**
 * P3: checks a user's TOTP code and records its time step in one conditional UPDATE, so
 * the same code (or an older one) is never accepted twice, even by two requests at once.
 */
export async function acceptTotpCode(db: Executor, userId: string, code: string): Promise<boolean> {
  const [user] = await db.select({ secret: users.totpSecretEncrypted }).from(users).where(eq(users.id, userId));
  if (!user?.secret) return false;
  const result = await checkTotp(decrypt(user.secret), code);
  if (!result.valid) return false;
  const updated = await db
    .update(users)
    .set({ totpLastTimeStep: result.timeStep })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastTimeStep), lt(users.totpLastTimeStep, result.timeStep))))
    .returning({ id: users.id });
  return updated.length === 1;
}

// 10 characters from a 32-letter alphabet: 50 bits each, well past ASVS's 20.
const BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const normaliseBackupCode = (code: string) => code.toLowerCase().replace(/[\s-]/g, "");
const backupCodeHash = (code: string) => keyedHash("backup-code", normaliseBackupCode(code));

export function newBackupCodes(): string[] {
  return Array.from({ length: BACKUP_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const chars = Array.from(bytes, (b) => BACKUP_ALPHABET[b % BACKUP_ALPHABET.length]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Replaces a user's backup codes; only their keyed hashes are stored. */
export async function storeBackupCodes(db: Executor, userId: string, codes: string[]) {
  await db.delete(backupCodes).where(eq(backupCodes.userId, userId));
  await db.insert(backupCodes).values(codes.map((code) => ({ userId, codeHash: backupCodeHash(code) })));
}

/** Uses a backup code once: compared in constant time, consumed by a conditional UPDATE. */
export async function redeemBackupCode(db: Executor, userId: string, code: string): Promise<boolean> {
  const normalised = normaliseBackupCode(code);
  if (!/^[a-z0-9]{10}$/.test(normalised)) return false;
  const hash = backupCodeHash(normalised);
  const unused = await db
    .select({ id: backupCodes.id, codeHash: backupCodes.codeHash })
    .from(backupCodes)
    .where(and(eq(backupCodes.userId, userId), isNull(backupCodes.usedAt)));
  let match: string | undefined;
  for (const row of unused) if (safeEqual(row.codeHash, hash)) match = row.id;
  if (!match) return false;
  const used = await db
    .update(backupCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(backupCodes.id, match), isNull(backupCodes.usedAt)))
    .returning({ id: backupCodes.id });
  return used.length === 1;
}

/** A 6-digit code is a TOTP code; anything else is tried as a backup code. */
export async function acceptSecondFactor(db: Executor, userId: string, code: string): Promise<"totp" | "backup-code" | null> {
  const trimmed = code.trim();
  if (/^\d{6}$/.test(trimmed)) return (await acceptTotpCode(db, userId, trimmed)) ? "totp" : null;
  return (await redeemBackupCode(db, userId, trimmed)) ? "backup-code" : null;
}
