import { and, asc, count, eq, gt, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { passkeys, users, webauthnChallenges } from "@/db/schema";

/** B1: whether a person has a passkey, for a query's select list (`userId` is the outer row's ID). */
export const hasPasskeySql = (userId: SQL) => sql<boolean>`exists (select 1 from passkeys pk where pk.user_id = ${userId})`;

/** A person's passkeys as the Security page lists them (no key material). */
export async function listPasskeys(db: Executor, userId: string) {
  return db
    .select({ id: passkeys.id, name: passkeys.name, deviceType: passkeys.deviceType, backedUp: passkeys.backedUp, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt })
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
}

export async function countPasskeys(db: Executor, userId: string): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId));
  return n;
}

/** The credentials a browser is told about: to exclude at registration, to allow at the second step. */
export async function passkeyCredentialsOf(db: Executor, userId: string) {
  return db.select({ id: passkeys.credentialId, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, userId));
}

export type NewPasskey = Omit<typeof passkeys.$inferInsert, "id" | "createdAt" | "lastUsedAt">;

/** Stores a verified credential; null when that credential ID is registered already. */
export async function insertPasskey(db: Executor, values: NewPasskey): Promise<{ id: string } | null> {
  const [row] = await db.insert(passkeys).values(values).onConflictDoNothing({ target: passkeys.credentialId }).returning({ id: passkeys.id });
  return row ?? null;
}

/**
 * The passkey a browser's assertion names, with what sign-in must know of its owner.
 * `userId` narrows the search to one person (the second step after a password).
 */
export async function findPasskeyForAssertion(db: Executor, credentialId: string, userId?: string) {
  const [row] = await db
    .select({
      passkey: passkeys,
      user: { id: users.id, accountId: users.accountId, email: users.email, status: users.status, passwordResetRequiredAt: users.passwordResetRequiredAt, accessExpiresAt: users.accessExpiresAt },
    })
    .from(passkeys)
    .innerJoin(users, eq(users.id, passkeys.userId))
    .where(and(eq(passkeys.credentialId, credentialId), userId ? eq(passkeys.userId, userId) : undefined))
    .limit(1);
  return row ?? null;
}

/**
 * Records a verified use: the new counter, only if it is still above the stored one (or
 * both are 0, an authenticator without a counter) — so two requests verified against the
 * same stored counter cannot both pass. False when another use got there first.
 */
export async function recordPasskeyUse(db: Executor, id: string, input: { counter: number; backedUp: boolean }): Promise<boolean> {
  const updated = await db
    .update(passkeys)
    .set({ counter: input.counter, backedUp: input.backedUp, lastUsedAt: sql`now()` })
    .where(and(eq(passkeys.id, id), or(lt(passkeys.counter, input.counter), and(eq(passkeys.counter, 0), sql`${input.counter} = 0`))))
    .returning({ id: passkeys.id });
  return updated.length === 1;
}

/** One of a person's own passkeys, by ID (anyone else's reads as missing). */
export async function findOwnPasskey(db: Executor, userId: string, id: string) {
  const [row] = await db.select({ id: passkeys.id, name: passkeys.name }).from(passkeys).where(and(eq(passkeys.userId, userId), eq(passkeys.id, id)));
  return row ?? null;
}

export async function renamePasskey(db: Executor, userId: string, id: string, name: string) {
  const [row] = await db.update(passkeys).set({ name }).where(and(eq(passkeys.userId, userId), eq(passkeys.id, id))).returning({ id: passkeys.id });
  return row ?? null;
}

export async function deletePasskey(db: Executor, userId: string, id: string) {
  const [row] = await db.delete(passkeys).where(and(eq(passkeys.userId, userId), eq(passkeys.id, id))).returning({ id: passkeys.id, name: passkeys.name });
  return row ?? null;
}

/** T5: every passkey of a member goes with their 2FA. */
export async function deleteUserPasskeys(db: Executor, userId: string): Promise<number> {
  return (await db.delete(passkeys).where(eq(passkeys.userId, userId)).returning({ id: passkeys.id })).length;
}

/** O4: passkeys a person added since a moment (a security email was sent), for "This wasn't me". */
export async function countPasskeysAddedSince(db: Executor, userId: string, since: Date): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(passkeys).where(and(eq(passkeys.userId, userId), gte(passkeys.createdAt, since)));
  return n;
}

export async function deletePasskeysAddedSince(db: Executor, userId: string, since: Date): Promise<number> {
  return (await db.delete(passkeys).where(and(eq(passkeys.userId, userId), gte(passkeys.createdAt, since))).returning({ id: passkeys.id })).length;
}

export type WebauthnCeremony = (typeof webauthnChallenges.$inferSelect)["ceremony"];

export async function insertWebauthnChallenge(
  db: Executor,
  input: { tokenHash: string; ceremony: WebauthnCeremony; userId: string | null; bindingHash: string | null; challengeHash: string; ttlSeconds: number },
) {
  // Expired challenges of anyone go on the way (the table stays as small as the ceremonies under way).
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, sql`now()`));
  await db.insert(webauthnChallenges).values({ ...input, expiresAt: sql`now() + make_interval(secs => ${input.ttlSeconds})` });
}

/** Spends a live challenge (deleted whatever comes next, so it answers once). */
export async function takeWebauthnChallenge(db: Executor, tokenHash: string, ceremony: WebauthnCeremony) {
  const [row] = await db
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.tokenHash, tokenHash), eq(webauthnChallenges.ceremony, ceremony), gt(webauthnChallenges.expiresAt, sql`now()`)))
    .returning();
  return row ?? null;
}

export async function deleteWebauthnChallenge(db: Executor, tokenHash: string) {
  await db.delete(webauthnChallenges).where(eq(webauthnChallenges.tokenHash, tokenHash));
}

/** What ends a person's sign-in methods also ends the ceremonies they have under way. */
export async function deleteUserWebauthnChallenges(db: Executor, userId: string) {
  await db.delete(webauthnChallenges).where(eq(webauthnChallenges.userId, userId));
}

/** Which second factors a person has, for the second step's page. */
export async function secondFactorMethods(db: Executor, userId: string) {
  const [row] = await db
    .select({ totp: sql<boolean>`${users.totpEnabledAt} is not null`, passkeys: hasPasskeySql(sql`${users.id}`) })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? { totp: false, passkeys: false };
}
