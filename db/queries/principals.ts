import { and, eq, gt, isNull, sql, type SQL } from "drizzle-orm";
import type { PgSelect } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { accounts, apiKeys, identityProviders, profiles, sessions, users } from "@/db/schema";
import type { HeldRole } from "@/lib/auth/permissions";
import { sha256 } from "@/lib/crypto";
import { twoFactorPolicyColumns } from "./accounts";
import { idleCutoff } from "./sessions";

/**
 * Who is asking, in one query: the person, their account, their roles and the policies
 * that gate them. A session and an API key reach the same columns through the same joins
 * (only the first table differs), so both kinds of caller are judged alike.
 */
const principalColumns = {
  user: { id: users.id, accountId: users.accountId, email: users.email, name: users.name, status: users.status, kind: users.kind },
  roles: heldRoles(sql`${users.id}`),
  totpEnabled: sql<boolean>`${users.totpEnabledAt} is not null`,
  ssoManaged: sql<boolean>`${users.ssoSubject} is not null`,
  hasPassword: sql<boolean>`${users.passwordHash} is not null`,
  avatarUpdatedAt: profiles.avatarUpdatedAt,
  accountSsoOnly: sql<boolean>`coalesce(${identityProviders.ssoOnly}, false)`,
  policy: twoFactorPolicyColumns,
  // Last active is written at most once a minute: most requests need no write.
  activityStale: sql<boolean>`(${users.lastActiveAt} is null or ${users.lastActiveAt} < now() - interval '1 minute')`,
};

/**
 * The roles a member holds (A3), as one JSON array: the principal and the team table read
 * it alike. A4: a grant on a unit brings the unit's name and line (it and every unit above).
 */
export function heldRoles(userId: SQL) {
  return sql<HeldRole[]>`(select coalesce(json_agg(json_build_object(
      'key', coalesce(g.role_key, g.custom_role_id::text), 'custom', g.custom_role_id is not null,
      'name', r.name, 'permissions', r.permissions,
      'unit', case when g.unit_id is not null then json_build_object('id', g.unit_id, 'name', u.name, 'line', l.line) end)
      order by g.granted_at, g.id), '[]'::json)
    from role_grants g left join custom_roles r on r.id = g.custom_role_id left join units u on u.id = g.unit_id
      left join lateral (select json_agg(p.ancestor_id order by p.depth) as line from unit_paths p where p.descendant_id = g.unit_id) l on g.unit_id is not null
    where g.user_id = ${userId})`;
}

function withAccount<T extends PgSelect>(query: T) {
  return query
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .leftJoin(identityProviders, eq(identityProviders.accountId, users.accountId));
}

/**
 * The principal behind a live session, or null when the row is gone, expired, unused for
 * longer than `idleMinutes`, or the user is no longer active — decided by this one query,
 * on the database's clock.
 */
export async function findSessionPrincipal(db: Executor, sessionId: string, { idleMinutes }: { idleMinutes: number }) {
  const query = db
    .select({ ...principalColumns, sessionStale: sql<boolean>`${sessions.lastSeenAt} < now() - interval '1 minute'` })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .$dynamic();
  const [row] = await withAccount(query)
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

/**
 * The principal behind an API key: a revoked or expired key, or one whose owner is no
 * longer active, gets nothing. Keys carry 240 bits of entropy, so looking one up by its
 * SHA-256 reveals nothing through timing.
 */
export async function findApiKeyPrincipal(db: Executor, key: string) {
  const query = db
    .select({ ...principalColumns, key: { id: apiKeys.id, prefix: apiKeys.prefix, scopes: apiKeys.scopes } })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .$dynamic();
  const [row] = await withAccount(query)
    .where(
      and(
        eq(apiKeys.keyHash, sha256(key)),
        isNull(apiKeys.revokedAt),
        sql`(${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > now())`,
        eq(users.status, "active"),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * A member as a principal, to be asked about rather than acting (POST /api/v1/authorize):
 * the same columns, whatever their status — the caller decides what an inactive member holds.
 */
export async function findMemberPrincipal(db: Executor, accountId: string, userId: string) {
  const query = db.select(principalColumns).from(users).$dynamic();
  const [row] = await withAccount(query)
    .where(and(eq(users.accountId, accountId), eq(users.id, userId)))
    .limit(1);
  return row ?? null;
}
