import { and, eq, gt, inArray, isNotNull, lte, ne, notExists, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { accounts, applications, appSubscriptions, customRoles, expiryNotices, roleGrants, users } from "@/db/schema";
import { accessLive } from "./principals";

export type ExpirySubjectType = "membership" | "role_grant" | "app_subscription";
export type NoticeKind = "warning" | "expired";

/** One thing that expires: a membership, a role grant or a subscription, with its person. */
export type ExpiringThing = {
  accountId: string;
  subjectType: ExpirySubjectType;
  subjectId: string;
  userId: string;
  email: string;
  name: string;
  expiresAt: Date;
  /** The role's key (predefined) or name (custom), or the application's name; null for a membership. */
  label: string | null;
  custom: boolean;
};

/** A5: when a member's membership ends (null: never). */
export async function setMembershipExpiry(db: Executor, userId: string, expiresAt: Date | null) {
  await db.update(users).set({ accessExpiresAt: expiresAt }).where(eq(users.id, userId));
}

const iso = (at: Date) => sql`${at.toISOString()}::timestamptz`;

function notNoticed(kind: NoticeKind, subjectType: ExpirySubjectType, subjectId: PgColumn, expiresAt: PgColumn) {
  return notExists(
    sql`(select 1 from ${expiryNotices} n where n.kind = ${kind} and n.subject_type = ${subjectType} and n.subject_id = ${subjectId} and n.expires_at = ${expiresAt})`,
  );
}

/**
 * Every membership, role grant and subscription whose expiry falls in the window and that
 * has no notice of this kind for this expiry yet — across accounts, soonest first. The
 * window is (from, until] per account: `until` may depend on the account (its warning days).
 */
async function unnoticed(db: Executor, kind: NoticeKind, window: (column: PgColumn) => SQL, people: SQL, limit: number): Promise<ExpiringThing[]> {
  const person = { userId: users.id, email: users.email, name: users.name };
  const memberships = db
    .select({ accountId: users.accountId, subjectType: sql<ExpirySubjectType>`'membership'`, subjectId: users.id, ...person, expiresAt: sql<Date>`${users.accessExpiresAt}`, label: sql<string | null>`null::text`, custom: sql<boolean>`false` })
    .from(users)
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .where(and(isNotNull(users.accessExpiresAt), window(users.accessExpiresAt), people, notNoticed(kind, "membership", users.id, users.accessExpiresAt)));
  const grants = db
    .select({ accountId: roleGrants.accountId, subjectType: sql<ExpirySubjectType>`'role_grant'`, subjectId: roleGrants.id, ...person, expiresAt: sql<Date>`${roleGrants.expiresAt}`, label: sql<string | null>`coalesce(${customRoles.name}, ${roleGrants.roleKey})`, custom: sql<boolean>`${roleGrants.customRoleId} is not null` })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .innerJoin(accounts, eq(accounts.id, roleGrants.accountId))
    .leftJoin(customRoles, eq(customRoles.id, roleGrants.customRoleId))
    .where(and(isNotNull(roleGrants.expiresAt), window(roleGrants.expiresAt), people, notNoticed(kind, "role_grant", roleGrants.id, roleGrants.expiresAt)));
  const subscriptions = db
    .select({ accountId: appSubscriptions.accountId, subjectType: sql<ExpirySubjectType>`'app_subscription'`, subjectId: appSubscriptions.id, ...person, expiresAt: sql<Date>`${appSubscriptions.expiresAt}`, label: sql<string | null>`${applications.name}`, custom: sql<boolean>`false` })
    .from(appSubscriptions)
    .innerJoin(users, eq(users.id, appSubscriptions.userId))
    .innerJoin(accounts, eq(accounts.id, appSubscriptions.accountId))
    .innerJoin(applications, eq(applications.id, appSubscriptions.applicationId))
    .where(and(isNotNull(appSubscriptions.expiresAt), window(appSubscriptions.expiresAt), people, notNoticed(kind, "app_subscription", appSubscriptions.id, appSubscriptions.expiresAt)));
  // Unordered: each batch is noted before the next is read, so the next leaves it out.
  const rows = await memberships.unionAll(grants).unionAll(subscriptions).limit(limit);
  // The union's timestamps arrive as the driver gives them (a string on some).
  return rows.map((row) => ({ ...row, expiresAt: new Date(row.expiresAt) })).sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
}

/** A5: what has expired by `at` and is not yet recorded as expired (people who are disabled are left alone). */
export function findNewlyExpired(db: Executor, at: Date, limit = 500) {
  return unnoticed(db, "expired", (column) => lte(column, iso(at)), ne(users.status, "disabled"), limit);
}

/**
 * A5: what expires within each account's warning period after `at`, of active members
 * whose membership still runs, that they have not been warned about for this expiry.
 */
export function findDueWarnings(db: Executor, at: Date, limit = 500) {
  return unnoticed(
    db,
    "warning",
    (column) => and(gt(column, iso(at)), lte(column, sql`${iso(at)} + make_interval(days => ${accounts.expiryWarningDays})`))!,
    and(eq(users.status, "active"), accessLive(at))!,
    limit,
  );
}

/**
 * Notes that these things were announced, in the caller's transaction. Returns those this
 * call noted: a thing noted already (by an earlier run that crashed after committing, say)
 * is left out, so it is never announced twice.
 */
export async function noteExpiries(db: Executor, kind: NoticeKind, things: readonly ExpiringThing[]) {
  if (things.length === 0) return [];
  const rows = await db
    .insert(expiryNotices)
    .values(things.map((thing) => ({ accountId: thing.accountId, kind, subjectType: thing.subjectType, subjectId: thing.subjectId, expiresAt: thing.expiresAt })))
    .onConflictDoNothing()
    .returning({ subjectType: expiryNotices.subjectType, subjectId: expiryNotices.subjectId });
  return things.filter((thing) => rows.some((row) => row.subjectType === thing.subjectType && row.subjectId === thing.subjectId));
}

/** The account's Admins whose access runs at `at`: the summary of expired access goes to them. */
export async function activeAdminsOf(db: Executor, accountId: string, at: Date) {
  return db
    .selectDistinct({ id: users.id, email: users.email, name: users.name })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(
      and(
        eq(roleGrants.accountId, accountId),
        eq(roleGrants.roleKey, "admin"),
        sql`(${roleGrants.expiresAt} is null or ${roleGrants.expiresAt} > ${iso(at)})`,
        eq(users.status, "active"),
        accessLive(at),
      ),
    );
}

export async function accountNames(db: Executor, accountIds: string[]) {
  if (accountIds.length === 0) return new Map<string, string>();
  const rows = await db.select({ id: accounts.id, name: accounts.name }).from(accounts).where(inArray(accounts.id, accountIds));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** A5: how many days ahead the account's members are warned. */
export async function findExpiryWarningDays(db: Executor, accountId: string): Promise<number> {
  const [row] = await db.select({ days: accounts.expiryWarningDays }).from(accounts).where(eq(accounts.id, accountId));
  return row?.days ?? 7;
}

export async function setExpiryWarningDays(db: Executor, accountId: string, days: number) {
  const [before] = await db.select({ days: accounts.expiryWarningDays }).from(accounts).where(eq(accounts.id, accountId)).for("no key update");
  await db.update(accounts).set({ expiryWarningDays: days }).where(eq(accounts.id, accountId));
  return before.days;
}
