import { and, eq, gt, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { signInGrants, users } from "@/db/schema";
import { randomToken, sha256 } from "@/lib/crypto";

export const SECOND_FACTOR_TTL_SECONDS = 5 * 60;
export const SECOND_FACTOR_MAX_FAILURES = 5;

/** O2: how the first factor was proved, recorded with the attempt when the session opens. */
export type GrantMethod = "password" | "passkey";

export async function createSignInGrant(db: Executor, userId: string, stage: "second-factor" | "ready", method: GrantMethod = "password"): Promise<string> {
  const token = randomToken(32);
  await db.insert(signInGrants).values({
    tokenHash: sha256(token),
    userId,
    stage,
    method,
    expiresAt: sql`now() + make_interval(secs => ${stage === "ready" ? 60 : SECOND_FACTOR_TTL_SECONDS})`,
  });
  return token;
}

/** The user waiting for their second factor, or null when the grant is gone, spent or expired. */
export async function findSecondFactorGrant(db: Executor, token: string | undefined, lock = false) {
  if (!token || token.length > 100) return null;
  const query = db
    .select({ grant: signInGrants, user: { id: users.id, accountId: users.accountId, email: users.email, status: users.status } })
    .from(signInGrants)
    .innerJoin(users, eq(users.id, signInGrants.userId))
    .where(and(eq(signInGrants.tokenHash, sha256(token)), eq(signInGrants.stage, "second-factor"), gt(signInGrants.expiresAt, sql`now()`)))
    .limit(1);
  const [row] = lock ? await query.for("update", { of: signInGrants }) : await query;
  if (!row || row.user.status !== "active" || row.grant.failedAttempts >= SECOND_FACTOR_MAX_FAILURES) return null;
  return row;
}

export async function countSecondFactorFailure(db: Executor, token: string) {
  await db
    .update(signInGrants)
    .set({ failedAttempts: sql`${signInGrants.failedAttempts} + 1` })
    .where(eq(signInGrants.tokenHash, sha256(token)));
}

export async function promoteGrant(db: Executor, token: string) {
  await db.update(signInGrants).set({ stage: "ready", expiresAt: sql`now() + interval '1 minute'` }).where(eq(signInGrants.tokenHash, sha256(token)));
}

/**
 * Ends every sign-in of a user still under way (waiting for the second factor, or about
 * to open its session), in the caller's transaction: what ends access — a password
 * change, a 2FA removal, a disable — must also stop a sign-in begun before it.
 */
export async function deletePendingSignIns(db: Executor, userId: string) {
  await db.delete(signInGrants).where(eq(signInGrants.userId, userId));
}

/** Spends a "ready" grant (once) and returns its user, still active. */
export async function redeemReadyGrant(db: Executor, token: string): Promise<string | null> {
  return (await redeemSignInGrant(db, token))?.user.id ?? null;
}

/** redeemReadyGrant, with the user's account and how they proved it was them (O2: the attempt's record). */
export async function redeemSignInGrant(db: Executor, token: string): Promise<{ user: { id: string; accountId: string; email: string }; method: GrantMethod } | null> {
  if (!token || token.length > 100) return null;
  const [row] = await db
    .delete(signInGrants)
    .where(and(eq(signInGrants.tokenHash, sha256(token)), eq(signInGrants.stage, "ready"), gt(signInGrants.expiresAt, sql`now()`)))
    .returning({ userId: signInGrants.userId, method: signInGrants.method });
  if (!row) return null;
  const [user] = await db.select({ id: users.id, accountId: users.accountId, email: users.email, status: users.status }).from(users).where(eq(users.id, row.userId));
  if (user?.status !== "active") return null;
  return { user: { id: user.id, accountId: user.accountId, email: user.email }, method: row.method === "passkey" ? "passkey" : "password" };
}
