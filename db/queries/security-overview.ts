import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { twoFactorSnapshots } from "@/db/schema";
import { staffHidden, type StaffPolicy, type StaffViewer } from "./members";

/** postgres.js returns the rows, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** B4: the account's people, not its shared workstations, as the overview counts them (T6: no hidden staff). */
const people = (accountId: string, viewer: StaffViewer | null, policy: StaffPolicy): SQL =>
  sql`users.account_id = ${accountId}::uuid and users.kind = 'person' ${viewer ? (staffHidden(viewer, policy) ? sql`and ${staffHidden(viewer, policy)}` : sql``) : sql``}`;

/** P3, B1: an authenticator app or a passkey. */
const hasTwoFactor = sql`(users.totp_enabled_at is not null or exists (select 1 from passkeys pk where pk.user_id = users.id))`;

/** P4: whom "Enforce 2FA" covers — its roles (null: everyone) — once its grace period has ended. */
export type GracePolicy = { roles: string[] | null; deadlinePassed: boolean };

const inEnforcedRoles = (roles: string[] | null, member: SQL) => {
  if (!roles) return sql`true`;
  if (!roles.length) return sql`false`;
  const list = sql.join(
    roles.map((role) => sql`${role}`),
    sql`, `,
  );
  return sql`exists (select 1 from role_grants g where g.user_id = ${member} and (g.role_key in (${list}) or g.custom_role_id::text in (${list})))`;
};

/** B4: last active before `before`, or never active and added before it. */
const dormantSince = (before: Date) =>
  sql`(users.last_active_at < ${before.toISOString()}::timestamptz or (users.last_active_at is null and users.created_at < ${before.toISOString()}::timestamptz))`;

/**
 * B4: the overview's member figures in one pass over the account's active people — how
 * many, how many with 2FA, how many without it past the grace period (`grace`), how many
 * dormant since `dormantBefore` — each person's 2FA probed once.
 */
export async function countMemberFigures(
  db: Executor,
  accountId: string,
  options: { grace?: GracePolicy; dormantBefore?: Date } = {},
  viewer: StaffViewer | null = null,
  policy: StaffPolicy = {},
) {
  const grace = options.grace?.deadlinePassed ? options.grace : null;
  const [row] = rowsOf<{ members: number | string; with_two_factor: number | string; past_grace: number | string; dormant: number | string }>(
    await db.execute(sql`
      select count(*) as members, count(*) filter (where m.two) as with_two_factor,
        ${grace ? sql`count(*) filter (where not m.two and ${inEnforcedRoles(grace.roles, sql`m.id`)})` : sql`0`} as past_grace,
        count(*) filter (where m.dormant) as dormant
      from (select users.id, ${hasTwoFactor} as two, ${options.dormantBefore ? dormantSince(options.dormantBefore) : sql`false`} as dormant
            from users where ${people(accountId, viewer, policy)} and users.status = 'active') m`),
  );
  return { members: Number(row.members), withTwoFactor: Number(row.with_two_factor), pastGrace: Number(row.past_grace), dormant: Number(row.dormant) };
}

/** B4: active members now, and how many of them have 2FA (the daily snapshot's figures). */
export async function countTwoFactorAdoption(db: Executor, accountId: string, viewer: StaffViewer | null = null, policy: StaffPolicy = {}) {
  const { members, withTwoFactor } = await countMemberFigures(db, accountId, {}, viewer, policy);
  return { members, withTwoFactor };
}

/** B4: the daily snapshots from `since` (YYYY-MM-DD), oldest first. */
export async function listTwoFactorSnapshots(db: Executor, accountId: string, since: string) {
  return db
    .select({ day: twoFactorSnapshots.day, members: twoFactorSnapshots.members, withTwoFactor: twoFactorSnapshots.withTwoFactor })
    .from(twoFactorSnapshots)
    .where(sql`${twoFactorSnapshots.accountId} = ${accountId}::uuid and ${twoFactorSnapshots.day} >= ${since}::date`)
    .orderBy(twoFactorSnapshots.day);
}

/** B4: writes (or rewrites) one account's snapshot for a day. */
export async function upsertTwoFactorSnapshot(db: Executor, row: { accountId: string; day: string; members: number; withTwoFactor: number }) {
  await db
    .insert(twoFactorSnapshots)
    .values(row)
    .onConflictDoUpdate({ target: [twoFactorSnapshots.accountId, twoFactorSnapshots.day], set: { members: row.members, withTwoFactor: row.withTwoFactor } });
}

export async function listAccountIds(db: Executor): Promise<string[]> {
  return rowsOf<{ id: string }>(await db.execute(sql`select id from accounts order by id`)).map((row) => row.id);
}

/**
 * B4: people's sign-ins and failed sign-ins per day (UTC) from `since` — API keys left out,
 * they are programs — aggregated in SQL over the account's index range.
 */
export async function countSignInsPerDay(db: Executor, accountId: string, since: Date, viewer: StaffViewer | null = null, policy: StaffPolicy = {}) {
  const hidden = viewer ? staffHidden(viewer, policy, sql`coalesce(email, '')`) : undefined;
  const rows = rowsOf<{ day: string; succeeded: number | string; failed: number | string }>(
    await db.execute(sql`
      select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day,
        count(*) filter (where result = 'success') as succeeded, count(*) filter (where result <> 'success') as failed
      from sign_in_attempts
      where account_id = ${accountId}::uuid and created_at >= ${since.toISOString()}::timestamptz and method <> 'api_key' ${hidden ? sql`and ${hidden}` : sql``}
      group by 1 order by 1`),
  );
  return rows.map((row) => ({ day: row.day, succeeded: Number(row.succeeded), failed: Number(row.failed) }));
}

export type OverviewPerson = { id: string; name: string; email: string; at: Date | null };
const toPerson = (row: { id: string; name: string; email: string; at: Date | string | null }): OverviewPerson => ({ ...row, at: row.at === null ? null : new Date(row.at) });

/**
 * B4: the first `limit` active people by name without 2FA whom enforcement (P4) has reached
 * past its grace period — walking the team table's name index, so it stops at the tenth.
 */
export async function firstPastTwoFactorGrace(db: Executor, accountId: string, grace: GracePolicy, limit: number, viewer: StaffViewer | null = null, staff: StaffPolicy = {}) {
  if (!grace.deadlinePassed) return [];
  const rows = rowsOf<{ id: string; name: string; email: string; at: Date | string | null }>(
    await db.execute(sql`
      select users.id, users.name, users.email, users.last_active_at as at from users
      where ${people(accountId, viewer, staff)} and users.status = 'active' and not ${hasTwoFactor} and ${inEnforcedRoles(grace.roles, sql`users.id`)}
      order by lower(users.name), users.id limit ${limit}`),
  );
  return rows.map(toPerson);
}

/**
 * B4: the `limit` longest-dormant active people ("Last active" in the team table: signed in
 * or used the console; never active and added before `before` first) — walking the team
 * table's Last active index backwards. By last activity rather than by sign-in rows, which
 * begin only with O2.
 */
export async function firstDormant(db: Executor, accountId: string, before: Date, limit: number, viewer: StaffViewer | null = null, staff: StaffPolicy = {}) {
  const rows = rowsOf<{ id: string; name: string; email: string; at: Date | string | null }>(
    await db.execute(sql`
      select users.id, users.name, users.email, users.last_active_at as at from users
      where ${people(accountId, viewer, staff)} and users.status = 'active' and ${dormantSince(before)}
      order by users.last_active_at asc nulls first, users.id limit ${limit}`),
  );
  return rows.map(toPerson);
}

/** B4: invitations still open (neither accepted nor revoked), those expired unanswered, and those older than `staleBefore`. */
export async function countOpenInvitations(db: Executor, accountId: string, at: Date, staleBefore: Date, viewer: StaffViewer | null = null, staff: StaffPolicy = {}) {
  const hidden = viewer ? staffHidden(viewer, staff, sql`i.email`) : undefined;
  const [row] = rowsOf<{ open: number | string; expired: number | string; stale: number | string }>(
    await db.execute(sql`
      select count(*) filter (where i.expires_at > ${at.toISOString()}::timestamptz) as open,
        count(*) filter (where i.expires_at <= ${at.toISOString()}::timestamptz) as expired,
        count(*) filter (where i.created_at < ${staleBefore.toISOString()}::timestamptz) as stale
      from invitations i join users u on u.id = i.user_id and u.status = 'invited'
      where i.account_id = ${accountId}::uuid and i.accepted_at is null and i.revoked_at is null ${hidden ? sql`and ${hidden}` : sql``}`),
  );
  return { open: Number(row.open), expired: Number(row.expired), stale: Number(row.stale) };
}
