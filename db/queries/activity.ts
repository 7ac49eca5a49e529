import { and, eq, gte, lt, ne, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { signInAttempts } from "@/db/schema";
import { reachOf, type Principal } from "@/lib/auth/principal";
import { staffHidden, withinReach, type StaffPolicy } from "./members";

export type NewSignInAttempt = typeof signInAttempts.$inferInsert;

/** O2: one attempt (lib/activity/record.ts says what goes in). */
export async function insertSignInAttempt(db: Executor, row: NewSignInAttempt) {
  await db.insert(signInAttempts).values(row);
}

/** What the Activity page is filtered by (all of it in its URL). */
export type ActivityFilter = {
  /** "failed": every result but success; a result's key: that one. */
  result?: string;
  method?: string;
  /** A member's ID, or an address (a member's, or one typed that belongs to nobody). */
  person?: string;
  /** Days, YYYY-MM-DD in UTC, both inclusive. */
  from?: string;
  to?: string;
};

/** A position in the list: the (created_at, id) of a row, the time to the microsecond. */
export type ActivityCursor = { at: string; id: number };

export type ActivityRow = {
  id: number;
  createdAt: Date;
  cursor: string;
  userId: string | null;
  userName: string | null;
  email: string | null;
  result: string;
  method: string;
  detail: string | null;
  ip: string | null;
  userAgent: string | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Who reads the account's activity: their account, address (T6) and where activity.read reaches (A4). */
export type ActivityViewer = Pick<Principal, "accountId" | "email" | "permissions" | "unitPermissions">;

/**
 * The where-clause of the account's activity for a viewer (the page, the export, the member
 * page and the benchmark share it). A4: a unit administrator sees the attempts of members
 * in their units only — never those of an address that belongs to nobody; T6: staff
 * attempts are hidden from customers' readers, by the address tried.
 */
export function activityWhere(viewer: ActivityViewer, policy: StaffPolicy, filter: ActivityFilter): SQL {
  const conditions: (SQL | undefined)[] = [eq(signInAttempts.accountId, viewer.accountId)];
  conditions.push(withinReach(reachOf(viewer, "activity.read"), sql`${signInAttempts.userId}`));
  conditions.push(staffHidden(viewer, policy, sql`coalesce(${signInAttempts.email}, '')`));
  if (filter.result === "failed") conditions.push(ne(signInAttempts.result, "success"));
  else if (filter.result) conditions.push(eq(signInAttempts.result, filter.result));
  if (filter.method) conditions.push(eq(signInAttempts.method, filter.method));
  if (filter.person) {
    const person = filter.person.trim().toLowerCase();
    conditions.push(UUID.test(person) ? eq(signInAttempts.userId, person) : eq(signInAttempts.email, person));
  }
  if (filter.from) conditions.push(gte(signInAttempts.createdAt, new Date(`${filter.from}T00:00:00Z`)));
  if (filter.to) conditions.push(lt(signInAttempts.createdAt, new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000)));
  return and(...conditions)!;
}

/** A person's own attempts (Personal Account → Security): by their user ID only. */
export const ownActivityWhere = (userId: string): SQL => eq(signInAttempts.userId, userId);

/** A cursor as the page spells one — a real instant, an id a bigint holds — or undefined (never a database error). */
export function parseActivityCursor(text: string | undefined): ActivityCursor | undefined {
  const match = text?.match(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{6}Z)_(\d{1,15})$/);
  // Year 0 is no year to PostgreSQL.
  if (!match || match[1].startsWith("0000") || Number.isNaN(Date.parse(`${match[1]}Z`)) || new Date(`${match[1]}Z`).toISOString().slice(0, 19) !== match[1]) return undefined;
  return { at: match[1] + match[2], id: Number(match[3]) };
}

/**
 * `settledBefore`: only attempts made before then. /api/v1 follows attempts forward by
 * (created_at, id), drawn when a row is written, not when it commits: holding back the last
 * few seconds lets a row still in its transaction commit before anyone reads past it.
 */
export type ActivityPage = { older?: ActivityCursor; newer?: ActivityCursor; limit: number; settledBefore?: Date };

/** postgres.js returns the rows, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

type RawActivityRow = {
  id: string | number;
  created_at: Date | string;
  cursor: string;
  user_id: string | null;
  user_name: string | null;
  email: string | null;
  result: string;
  method: string;
  detail: string | null;
  ip: string | null;
  user_agent: string | null;
};

/**
 * The statement of listSignInAttempts (the benchmark prints its plan): the page's rows by
 * keyset on (created_at, id) through the account's (or the failures') index, then each
 * row's member's name by primary key — however deep the page, never OFFSET. A subquery,
 * not a join: with a few thousand members the planner hashed the whole users table for 51 rows.
 */
export function activityPageQuery(where: SQL, page: ActivityPage): SQL {
  const position = page.older
    ? sql`and (created_at, id) < (${page.older.at}::timestamptz, ${page.older.id})`
    : page.newer
      ? sql`and (created_at, id) > (${page.newer.at}::timestamptz, ${page.newer.id})`
      : sql``;
  const settled = page.settledBefore ? sql`and created_at < ${page.settledBefore.toISOString()}::timestamptz` : sql``;
  const order = sql.raw(page.newer ? "created_at asc, id asc" : "created_at desc, id desc");
  return sql`
    select a.id, a.created_at, to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '_' || a.id as cursor,
      a.user_id, (select u.name from users u where u.id = a.user_id) as user_name, a.email, a.result, a.method, a.detail, a.ip, a.user_agent
    from (select * from sign_in_attempts where ${where} ${position} ${settled} order by ${order} limit ${page.limit}) a
    order by ${sql.raw(page.newer ? "a.created_at asc, a.id asc" : "a.created_at desc, a.id desc")}`;
}

/** O2: one page of attempts, newest first (`newer`: the page above a cursor, still newest first). */
export async function listSignInAttempts(db: Executor, where: SQL, page: ActivityPage): Promise<ActivityRow[]> {
  const rows = rowsOf<RawActivityRow>(await db.execute(activityPageQuery(where, page))).map(
    (row): ActivityRow => ({
      id: Number(row.id),
      createdAt: new Date(row.created_at),
      cursor: row.cursor,
      userId: row.user_id,
      userName: row.user_name,
      email: row.email,
      result: row.result,
      method: row.method,
      detail: row.detail,
      ip: row.ip,
      userAgent: row.user_agent,
    }),
  );
  return page.newer ? rows.reverse() : rows;
}

/** O2 retention: the account's attempts older than `before` (the audit log's retention setting, applied by its job). */
export async function deleteSignInAttemptsBefore(tx: Executor, accountId: string, before: Date): Promise<number> {
  const deleted = await tx
    .delete(signInAttempts)
    .where(and(eq(signInAttempts.accountId, accountId), lt(signInAttempts.createdAt, before)))
    .returning({ id: signInAttempts.id });
  return deleted.length;
}
