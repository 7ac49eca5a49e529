import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts, identityProviders, profiles, sessions, users } from "@/db/schema";
import { randomToken, sha256 } from "@/lib/crypto";
import { twoFactorPolicyColumns } from "./accounts";

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
const idleCutoff = (idleMinutes: number) => sql`now() - make_interval(mins => ${idleMinutes})`;

/**
 * The live session and its user, or null when the row is gone, expired, unused for
 * longer than `idleMinutes`, or the user is no longer active — all decided by this one
 * query, on the database's clock.
 */
export async function findActiveSession(db: Executor, sessionId: string, { idleMinutes }: { idleMinutes: number }) {
  const [row] = await db
    .select({
      session: sessions,
      user: users,
      avatarUpdatedAt: profiles.avatarUpdatedAt,
      accountSsoOnly: identityProviders.ssoOnly,
      policy: twoFactorPolicyColumns,
      // Last seen / last active are written at most once a minute: most requests need no write.
      sessionStale: sql<boolean>`${sessions.lastSeenAt} < now() - interval '1 minute'`,
      activityStale: sql<boolean>`(${users.lastActiveAt} is null or ${users.lastActiveAt} < now() - interval '1 minute')`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .leftJoin(identityProviders, eq(identityProviders.accountId, users.accountId))
    .where(
      and(
        eq(sessions.idHash, sha256(sessionId)),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, idleCutoff(idleMinutes)),
        eq(users.status, "active"),
      ),
    )
    .limit(1);
  return row ?? null;
}

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

/** Ends every session of a user (disable, password change). */
export async function deleteUserSessions(db: Executor, userId: string) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function touchSession(db: Executor, sessionId: string) {
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(and(eq(sessions.idHash, sha256(sessionId)), sql`${sessions.lastSeenAt} < now() - interval '1 minute'`));
}
