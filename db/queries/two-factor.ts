import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { backupCodes, users } from "@/db/schema";

/** P3: a new secret waits, encrypted, until a code from the app confirms it. */
export async function storePendingTotpSecret(db: Executor, userId: string, secretEncrypted: string) {
  await db.update(users).set({ totpPendingSecretEncrypted: secretEncrypted }).where(eq(users.id, userId));
}

/** The enrolment under way, row locked: two confirmations at once cannot both turn 2FA on. */
export async function lockTotpEnrolment(db: Executor, userId: string) {
  const [row] = await db.select({ pending: users.totpPendingSecretEncrypted, enabled: users.totpEnabledAt }).from(users).where(eq(users.id, userId)).for("update");
  return row;
}

/** The pending secret becomes the secret, with the time step of the code that confirmed it. */
export async function enableTotp(db: Executor, userId: string, secretEncrypted: string, lastTimeStep: number) {
  await db
    .update(users)
    .set({ totpSecretEncrypted: secretEncrypted, totpPendingSecretEncrypted: null, totpEnabledAt: sql`now()`, totpLastTimeStep: lastTimeStep })
    .where(eq(users.id, userId));
}

export async function clearTotpSecret(db: Executor, userId: string) {
  await db.update(users).set({ totpSecretEncrypted: null, totpEnabledAt: null, totpLastTimeStep: null }).where(eq(users.id, userId));
}

export async function deleteBackupCodes(db: Executor, userId: string) {
  await db.delete(backupCodes).where(eq(backupCodes.userId, userId));
}

/** P3: how many of a person's backup codes are still unused. */
export async function countUnusedBackupCodes(db: Executor, userId: string): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(backupCodes).where(and(eq(backupCodes.userId, userId), isNull(backupCodes.usedAt)));
  return row?.count ?? 0;
}
