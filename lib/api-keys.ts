import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { findApiKeyPrincipal } from "@/db/queries/principals";
import { apiKeys, users } from "@/db/schema";
import { randomToken, sha256 } from "@/lib/crypto";
import { can, toPrincipal, type Principal } from "@/lib/auth/principal";
import { refuse } from "@/lib/actions/refusal";
import { API_SCOPE_NAMES, API_SCOPES, canonicalScopes, isApiScope, type ApiScope } from "@/lib/api/scopes";
import { sendSecurityNotice } from "@/lib/security-notices/notices";
import { recordSignInAttempt } from "@/lib/activity/record";
import { Throttle } from "@/lib/auth/throttle";
import { accessEnded } from "@/lib/expiry/validate";
import type { RequestContext } from "@/lib/request";

const KEY_PREFIX = "rst_";

/** The scopes a principal may put on their keys: those whose permission they hold (a key never exceeds its owner). */
export function scopesAvailableTo(principal: Principal): ApiScope[] {
  return API_SCOPE_NAMES.filter((scope) => {
    const needed = API_SCOPES[scope].requires;
    return needed === null || can(principal, needed);
  });
}

/** Why this principal may not have these scopes, or null when they may. */
export function scopeRefusal(principal: Principal, scopes: readonly ApiScope[]): string | null {
  const allowed = scopesAvailableTo(principal);
  const refused = scopes.filter((scope) => !allowed.includes(scope));
  return refused.length ? `Your roles do not allow a key with these scopes: ${refused.join(", ")}.` : null;
}

/**
 * P6: a new key with the scopes it may use. The full key is returned once; only its hash
 * and a short prefix are kept. O4: its owner is emailed (name, prefix, scopes, expiry —
 * never the key) in the same transaction, so a key nobody hears of cannot exist.
 */
export async function createApiKey(tx: Executor, owner: Principal, input: { name: string; expiresInDays: number | null; scopes: readonly ApiScope[] }) {
  if (!can(owner, "api_keys.create")) refuse("Your roles do not allow API keys.", "forbidden");
  const scopes = canonicalScopes(input.scopes);
  if (scopes.length === 0) refuse("Choose at least one scope.");
  const refusal = scopeRefusal(owner, scopes);
  if (refusal) refuse(refusal);
  const key = `${KEY_PREFIX}${randomToken(30)}`;
  const prefix = key.slice(0, 12);
  const [row] = await tx
    .insert(apiKeys)
    .values({
      accountId: owner.accountId,
      userId: owner.id,
      name: input.name,
      prefix,
      keyHash: sha256(key),
      scopes,
      expiresAt: input.expiresInDays ? sql`now() + make_interval(days => ${input.expiresInDays})` : null,
    })
    .returning({ id: apiKeys.id, prefix: apiKeys.prefix, scopes: apiKeys.scopes, createdAt: apiKeys.createdAt, expiresAt: apiKeys.expiresAt });
  await sendSecurityNotice(tx, owner, "api-key-created", { name: input.name, ...row, scopes });
  return { ...row, scopes, key };
}

export async function listApiKeys(db: Executor, owner: { id: string }) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.userId, owner.id))
    .orderBy(desc(apiKeys.createdAt));
}

/** Revokes one of the owner's own keys; returns it, or null when it is not theirs. */
export async function revokeApiKey(tx: Executor, owner: { id: string }, keyId: string) {
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, owner.id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, prefix: apiKeys.prefix, name: apiKeys.name });
  return row ?? null;
}

/** Revokes every live key of a person ("This wasn't me"); returns how many. */
export async function revokeAllApiKeysOf(tx: Executor, userId: string): Promise<number> {
  const revoked = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return revoked.length;
}

/** How many keys of a person still work (or will, until they expire). */
export async function countLiveApiKeysOf(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt), sql`(${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > now())`));
  return row?.count ?? 0;
}

/** The principal of an API request: it came in with a key, whose scopes narrow what it may do (P6). */
export type ApiPrincipal = Principal & { via: { kind: "api_key" } };

/**
 * The principal behind `Authorization: Bearer rst_…`, checked on every request through
 * the same query as a session's (db/queries/principals.ts).
 */
export async function authenticateApiKey(db: Executor, authorization: string | null, context: RequestContext = { ip: null, userAgent: null }): Promise<ApiPrincipal | null> {
  const match = authorization?.match(/^Bearer\s+(rst_[A-Za-z0-9_-]{40})$/);
  if (!match) return null;
  const row = await findApiKeyPrincipal(db, match[1]);
  if (!row) {
    await recordRefusedKey(db, match[1], context);
    return null;
  }
  const touched = await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.id, row.key.id), sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < now() - interval '1 minute')`))
    .returning({ id: apiKeys.id });
  // O2: an API key's successful use is recorded at most once a minute per key, riding on the
  // last-used update that already runs at that rate: the hot path gains an insert once a
  // minute at most, never one per request, and the history still shows each key in use.
  if (touched.length) {
    await recordSignInAttempt(db, { method: "api_key", result: "success", user: row.user, detail: `key ${row.key.prefix}`, context });
  }
  const via = { kind: "api_key", keyId: row.key.id, keyPrefix: row.key.prefix, scopes: row.key.scopes.filter(isApiScope) } as const;
  return { ...toPrincipal(row, via), via };
}

// A refused key is recorded once a minute per key at most: a client retrying a revoked key
// in a loop must not fill the table.
const refusedKeyRows = new Throttle({ name: "activity:api-key-refused", points: 1, durationSeconds: 60 });

/**
 * O2: a key of ours that no longer works (revoked, expired, or its owner disabled or
 * gone past their access) is a refused sign-in of its owner's. A key that was never ours
 * belongs to no account, and is not recorded (the 401 answers it).
 */
async function recordRefusedKey(db: Executor, key: string, context: RequestContext) {
  const [found] = await db
    .select({ id: apiKeys.id, prefix: apiKeys.prefix, revokedAt: apiKeys.revokedAt, expired: sql<boolean>`(${apiKeys.expiresAt} is not null and ${apiKeys.expiresAt} <= now())`, user: { id: users.id, accountId: users.accountId, email: users.email, status: users.status, accessExpiresAt: users.accessExpiresAt } })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.keyHash, sha256(key)))
    .limit(1);
  if (!found || !(await refusedKeyRows.allow(db, found.id)).allowed) return;
  const result = found.revokedAt ? "key_revoked" : found.expired ? "key_expired" : found.user.status !== "active" ? "disabled" : accessEnded(found.user.accessExpiresAt) ? "expired" : null;
  if (result) await recordSignInAttempt(db, { method: "api_key", result, user: found.user, detail: `key ${found.prefix}`, context });
}
