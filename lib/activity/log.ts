import type { Executor } from "@/db/client";
import { activityWhere, listSignInAttempts, ownActivityWhere, parseActivityCursor, type ActivityCursor, type ActivityFilter, type ActivityRow } from "@/db/queries/activity";
import { now } from "@/lib/clock";
import type { Principal } from "@/lib/auth/principal";
import { config } from "@/lib/config";
import { methodLabel, resultLabel } from "./results";

export const ACTIVITY_PAGE_SIZE = 50;

export type ActivityEntry = ActivityRow & { resultLabel: string; methodLabel: string; failed: boolean };

const described = (rows: ActivityRow[]): ActivityEntry[] =>
  rows.map((row) => ({ ...row, resultLabel: resultLabel(row.result), methodLabel: methodLabel(row.method), failed: row.result !== "success" }));

export type ActivityLogPage = { entries: ActivityEntry[]; older: string | null; newer: string | null };

/**
 * O2: one page of the account's sign-in attempts for a reader of activity, newest first.
 * `older`/`newer` are the cursors of the next page down and up (null at either end).
 */
export async function readActivity(db: Executor, principal: Principal, filter: ActivityFilter, position: { older?: string; newer?: string }, pageSize = ACTIVITY_PAGE_SIZE): Promise<ActivityLogPage> {
  const where = activityWhere(principal, { staffEmailDomain: config().staffEmailDomain }, filter);
  const older = parseActivityCursor(position.older);
  const newer = older ? undefined : parseActivityCursor(position.newer);
  const rows = await listSignInAttempts(db, where, { older, newer, limit: pageSize + 1 });
  const more = rows.length > pageSize;
  // Back at the top: the first page as it is, full, rather than a short page above it.
  if (newer && !more) return readActivity(db, principal, filter, {}, pageSize);
  const page = more ? (newer ? rows.slice(1) : rows.slice(0, pageSize)) : rows;
  const entries = described(page);
  return {
    entries,
    older: entries.length && (newer || more) ? entries[entries.length - 1].cursor : null,
    newer: entries.length && (older || (newer && more)) ? entries[0].cursor : null,
  };
}

/** O2: a person's own most recent attempts, and whether there are more (Personal Account → Security). */
export async function readOwnSignIns(db: Executor, principal: Pick<Principal, "id">, limit: number): Promise<{ entries: ActivityEntry[]; more: boolean }> {
  const rows = await listSignInAttempts(db, ownActivityWhere(principal.id), { limit: limit + 1 });
  return { entries: described(rows.slice(0, limit)), more: rows.length > limit };
}

/** How long an attempt waits before /api/v1 lists it (db/queries/activity.ts settledBefore). */
export const ACTIVITY_SETTLE_SECONDS = 10;

/**
 * O2 through /api/v1 (a SIEM's poll): the same attempts as the page, the same access
 * decision — newest first below `older`, or oldest first above `newer` to follow them —
 * once they are ACTIVITY_SETTLE_SECONDS old, so a cursor handed out never passes a row
 * whose transaction has yet to commit.
 */
export async function readActivityFeed(db: Executor, principal: Principal, filter: ActivityFilter, position: { older?: ActivityCursor; newer?: ActivityCursor }, limit: number): Promise<{ entries: ActivityEntry[]; more: boolean }> {
  const where = activityWhere(principal, { staffEmailDomain: config().staffEmailDomain }, filter);
  const following = position.newer !== undefined;
  const settledBefore = new Date(now().getTime() - ACTIVITY_SETTLE_SECONDS * 1000);
  const rows = await listSignInAttempts(db, where, { older: following ? undefined : position.older, newer: position.newer, limit: limit + 1, settledBefore });
  const ordered = following ? rows.reverse() : rows;
  return { entries: described(ordered.slice(0, limit)), more: rows.length > limit };
}
