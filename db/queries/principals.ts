import { and, eq, gt, isNull, sql, type SQL } from "drizzle-orm";
import type { PgSelect } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { accounts, apiKeys, identityProviders, profiles, sessions, users } from "@/db/schema";
import type { HeldRole } from "@/lib/auth/permissions";
import { now } from "@/lib/clock";
import { sha256 } from "@/lib/crypto";
import { twoFactorPolicyColumns } from "./accounts";
import { hasPasskeySql } from "./passkeys";
import { idleCutoff } from "./sessions";

/** A5: the membership has not expired at `at` (the clock's time, a parameter, never SQL now()). */
export function accessLive(at: Date): SQL {
  return sql`(${users.accessExpiresAt} is null or ${users.accessExpiresAt} > ${at.toISOString()}::timestamptz)`;
}

/**
 * Who is asking, in one query: the person, their account, their roles and the policies
 * that gate them. A session and an API key reach the same columns through the same joins
 * (only the first table differs), so both kinds of caller are judged alike. `at` is the
 * clock's time (lib/clock.ts): grants that have expired by then are left out (A5).
 */
function principalColumns(at: Date) {
  return {
    user: { id: users.id, accountId: users.accountId, email: users.email, name: users.name, status: users.status, kind: users.kind },
    roles: heldRoles(sql`${users.id}`, at),
    teams: teamsOf(sql`${users.id}`),
    accessExpiresAt: users.accessExpiresAt,
    accessExpired: sql<boolean>`not ${accessLive(at)}`,
    totpEnabled: sql<boolean>`${users.totpEnabledAt} is not null`,
    hasPasskeys: hasPasskeySql(sql`${users.id}`),
    ssoManaged: sql<boolean>`${users.ssoSubject} is not null`,
    hasPassword: sql<boolean>`${users.passwordHash} is not null`,
    avatarUpdatedAt: profiles.avatarUpdatedAt,
    accountSsoOnly: sql<boolean>`coalesce(${identityProviders.ssoOnly}, false)`,
    policy: twoFactorPolicyColumns,
    // Last active is written at most once a minute: most requests need no write.
    activityStale: sql<boolean>`(${users.lastActiveAt} is null or ${users.lastActiveAt} < now() - interval '1 minute')`,
  };
}

/**
 * The roles a member holds (A3), as one JSON array: the principal and the team table read
 * it alike. A5: a grant that has expired at `at` is not held — its permissions are gone on
 * the next request, whether or not the expiry job has run yet. A4: a grant on a unit
 * brings the unit's name and line (it and every unit above).
 */
export function heldRoles(userId: SQL, at: Date) {
  return sql<HeldRole[]>`(select coalesce(json_agg(json_build_object(
      'key', coalesce(g.role_key, g.custom_role_id::text), 'custom', g.custom_role_id is not null,
      'name', r.name, 'permissions', r.permissions,
      'unit', case when g.unit_id is not null then json_build_object('id', g.unit_id, 'name', u.name, 'line', l.line) end,
      'rule', case when g.rule_id is not null then json_build_object('id', g.rule_id, 'name', ar.name) end)
      order by g.granted_at, g.id), '[]'::json)
    from role_grants g left join custom_roles r on r.id = g.custom_role_id left join units u on u.id = g.unit_id
      left join access_rules ar on ar.id = g.rule_id
      left join lateral (select json_agg(p.ancestor_id order by p.depth) as line from unit_paths p where p.descendant_id = g.unit_id) l on g.unit_id is not null
    where g.user_id = ${userId} and (g.expires_at is null or g.expires_at > ${at.toISOString()}::timestamptz))`;
}

/** A6: the live (not archived) teams a member is in or leads, as one JSON array. */
export function teamsOf(userId: SQL) {
  return sql<{ id: string; lead: boolean }[]>`(select coalesce(json_agg(json_build_object('id', t.id, 'lead', t.lead_id = ${userId}) order by t.id), '[]'::json)
    from teams t where t.archived_at is null and (t.lead_id = ${userId} or exists (select 1 from team_members m where m.team_id = t.id and m.user_id = ${userId})))`;
}

function withAccount<T extends PgSelect>(query: T) {
  return query
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .leftJoin(identityProviders, eq(identityProviders.accountId, users.accountId));
}

/**
 * The principal behind a live session, or null when the row is gone, expired, unused for
 * longer than `idleMinutes`, or the user is no longer active or their access has expired
 * (A5, on the clock's time `at`) — decided by this one query.
 */
export async function findSessionPrincipal(db: Executor, sessionId: string, { idleMinutes, at = now() }: { idleMinutes: number; at?: Date }) {
  const query = db
    .select({ ...principalColumns(at), sessionStale: sql<boolean>`${sessions.lastSeenAt} < now() - interval '1 minute'` })
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
        accessLive(at),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * The principal behind an API key: a revoked or expired key, or one whose owner is no
 * longer active or whose access has expired (A5), gets nothing. Keys carry 240 bits of
 * entropy, so looking one up by its SHA-256 reveals nothing through timing.
 */
export async function findApiKeyPrincipal(db: Executor, key: string, at: Date = now()) {
  const query = db
    .select({ ...principalColumns(at), key: { id: apiKeys.id, prefix: apiKeys.prefix, scopes: apiKeys.scopes } })
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
        accessLive(at),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * A member as a principal, to be asked about rather than acting (POST /api/v1/authorize):
 * the same columns, whatever their status or expiry — the caller decides what an inactive
 * member holds.
 */
export async function findMemberPrincipal(db: Executor, accountId: string, userId: string, at: Date = now()) {
  const query = db.select(principalColumns(at)).from(users).$dynamic();
  const [row] = await withAccount(query)
    .where(and(eq(users.accountId, accountId), eq(users.id, userId)))
    .limit(1);
  return row ?? null;
}

/**
 * A5: whether this live session's person is refused only because their access expired —
 * asked after findSessionPrincipal refused them, so the sign-in page can say why. Only
 * the holder of the session cookie learns it.
 */
export async function sessionAccessExpired(db: Executor, sessionId: string, at: Date = now()) {
  const [row] = await db
    .select({ id: users.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, sha256(sessionId)), gt(sessions.expiresAt, sql`now()`), eq(users.status, "active"), sql`not ${accessLive(at)}`))
    .limit(1);
  return Boolean(row);
}
