import { and, desc, eq, gt, lte, ne, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { randomToken, sha256 } from "@/lib/crypto";

/** Creates a session row and returns the raw session ID (only its hash is stored). */
export async function createSession(
  db: Executor,
  input: { userId: string; maxAgeSeconds: number; ip: string | null; userAgent: string | null },
): Promise<string> {
  const sessionId = randomToken(32);
  await db.insert(sessions).values({
    idHash: sha256(sessionId),
    userId: input.userId,
    expiresAt: sql`now() + make_interval(secs => ${input.maxAgeSeconds})`,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 500) ?? null,
  });
  return sessionId;
}

/** When a session last seen before it counts as idle, by the database's clock. */
export const idleCutoff = (idleMinutes: number) => sql`now() - make_interval(mins => ${idleMinutes})`;

/** Removes a session refused for being idle; says whether it was one (so the person can be told why). */
export async function deleteIdleSession(db: Executor, sessionId: string, { idleMinutes }: { idleMinutes: number }): Promise<boolean> {
  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.idHash, sha256(sessionId)), lte(sessions.lastSeenAt, idleCutoff(idleMinutes))))
    .returning({ idHash: sessions.idHash });
  return deleted.length > 0;
}

export async function deleteSession(db: Executor, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.idHash, sha256(sessionId)));
}

/** Ends every session of a user (disable, password change); returns how many ended. */
export async function deleteUserSessions(db: Executor, userId: string): Promise<number> {
  const deleted = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ idHash: sessions.idHash });
  return deleted.length;
}

export async function touchSession(db: Executor, sessionId: string) {
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(and(eq(sessions.idHash, sha256(sessionId)), sql`${sessions.lastSeenAt} < now() - interval '1 minute'`));
}

/**
 * B2: a member's live sessions (not expired, not idle), most recently used first. Scoped by
 * account: another account's member has none here.
 */
export async function listUserSessions(db: Executor, accountId: string, userId: string, { idleMinutes }: { idleMinutes: number }) {
  return db
    .select({ idHash: sessions.idHash, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, ip: sessions.ip, userAgent: sessions.userAgent })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(users.accountId, accountId), eq(sessions.userId, userId), gt(sessions.expiresAt, sql`now()`), gt(sessions.lastSeenAt, idleCutoff(idleMinutes))))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt));
}

/** Ends one session of a user (B2); says whether there was one. */
export async function deleteUserSession(db: Executor, userId: string, idHash: string): Promise<boolean> {
  const deleted = await db.delete(sessions).where(and(eq(sessions.userId, userId), eq(sessions.idHash, idHash))).returning({ idHash: sessions.idHash });
  return deleted.length > 0;
}

/** Ends every session of a user but the one kept (B2: "End all other sessions"); returns how many ended. */
export async function deleteOtherUserSessions(db: Executor, userId: string, keepIdHash: string): Promise<number> {
  const deleted = await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.idHash, keepIdHash))).returning({ idHash: sessions.idHash });
  return deleted.length;
}
