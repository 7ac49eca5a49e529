import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { twoFactorPolicyColumns } from "@/db/queries/accounts";
import { accounts, apiKeys, identityProviders, users } from "@/db/schema";
import { randomToken, sha256 } from "@/lib/crypto";
import { twoFactorGate, type TwoFactorGate } from "@/lib/auth/two-factor-policy";
import { refuse } from "@/lib/actions/refusal";
import { canonicalScopes, scopeRefusal, type ApiScope } from "@/lib/api/scopes";
import { enqueueEmail } from "@/lib/email";
import { apiKeyCreatedEmail } from "@/lib/email/templates";

const KEY_PREFIX = "rst_";

type KeyOwner = { id: string; accountId: string; email: string; role: "primary" | "secondary" };

/**
 * P6: a new key with the scopes it may use. The full key is returned once; only its hash
 * and a short prefix are kept. O4: its owner is emailed (name, prefix, scopes, expiry —
 * never the key) in the same transaction, so a key nobody hears of cannot exist.
 */
export async function createApiKey(tx: Executor, owner: KeyOwner, input: { name: string; expiresInDays: number | null; scopes: readonly ApiScope[] }) {
  const scopes = canonicalScopes(input.scopes);
  if (scopes.length === 0) refuse("Choose at least one scope.");
  const refusal = scopeRefusal(owner.role, scopes);
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
  await enqueueEmail(tx, { accountId: owner.accountId, to: owner.email, kind: "security-notice", ...apiKeyCreatedEmail({ name: input.name, ...row, scopes }) });
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

export type ApiCaller = {
  keyId: string;
  keyPrefix: string;
  /** What the key may do (lib/api/scopes.ts); apiRoute checks the route's scope against it. */
  scopes: string[];
  user: { id: string; accountId: string; email: string; name: string; role: "primary" | "secondary" };
  /** P4: enforcement reaches the API too — a key of someone who must set 2FA up first does nothing. */
  twoFactorGate: TwoFactorGate;
  /** T7: membership of an SSO-only account comes from its IdP, not from management calls. */
  accountSsoOnly: boolean;
};

/**
 * The caller behind `Authorization: Bearer rst_…`, checked on every request: a revoked or
 * expired key, or one whose owner is no longer active, gets nothing. Keys carry 240 bits
 * of entropy, so looking one up by its SHA-256 reveals nothing through timing.
 */
export async function authenticateApiKey(db: Executor, authorization: string | null): Promise<ApiCaller | null> {
  const match = authorization?.match(/^Bearer\s+(rst_[A-Za-z0-9_-]{40})$/);
  if (!match) return null;
  const [row] = await db
    .select({
      keyId: apiKeys.id,
      keyPrefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      user: { id: users.id, accountId: users.accountId, email: users.email, name: users.name, role: users.role },
      totpEnabledAt: users.totpEnabledAt,
      ssoOnly: identityProviders.ssoOnly,
      policy: twoFactorPolicyColumns,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .leftJoin(identityProviders, eq(identityProviders.accountId, users.accountId))
    .where(
      and(
        eq(apiKeys.keyHash, sha256(match[1])),
        isNull(apiKeys.revokedAt),
        sql`(${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > now())`,
        eq(users.status, "active"),
      ),
    )
    .limit(1);
  if (!row) return null;
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.id, row.keyId), sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < now() - interval '1 minute')`));
  const { keyId, keyPrefix, scopes, user, totpEnabledAt, ssoOnly, policy } = row;
  return {
    keyId,
    keyPrefix,
    scopes,
    user,
    twoFactorGate: twoFactorGate(policy, { role: user.role, totpEnabled: Boolean(totpEnabledAt) }),
    accountSsoOnly: Boolean(ssoOnly),
  };
}
