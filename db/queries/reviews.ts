import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accessReviewLines, accessReviewReminders, accessReviews, accounts, customRoles, roleGrants, users, type ReviewDecision } from "@/db/schema";
import { twoFactorPolicyColumns } from "./accounts";
import { hasPasskeySql } from "./passkeys";
import { accessLive, heldRoles } from "./principals";
import { memberUnitLine } from "./units";

const iso = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/** Something of a member's that expires soon (A5): a role grant or an application subscription. */
export type ExpiringGrant = { role: string; custom: boolean; name: string; unitId: string | null; unitName: string | null; expiresAt: string };
export type ExpiringSubscription = { appKey: string; appName: string; expiresAt: string };

/**
 * O3: the members a review might have a line for — anyone holding one of `adminRoles`, or
 * active and not seen since `inactiveBefore`, or invited before `invitedBefore`, or with
 * something expiring by `expiringUntil`, or (when enforcement's grace is over for
 * someone) without 2FA. lib/reviews/lines.ts decides the lines; this only narrows the
 * account to the few worth looking at, in one query.
 */
export async function findReviewCandidates(
  db: Executor,
  accountId: string,
  input: { at: Date; inactiveBefore: Date; invitedBefore: Date; expiringUntil: Date; adminRoles: readonly string[]; withoutTwoFactor: boolean },
) {
  const { at } = input;
  const window = (column: ReturnType<typeof sql>) => sql`${column} > ${iso(at)} and ${column} <= ${iso(input.expiringUntil)}`;
  const twoFactorEnabled = sql<boolean>`(${hasPasskeySql(sql`"users"."id"`)} or ${users.totpEnabledAt} is not null)`;
  const adminGrant = input.adminRoles.length
    ? sql`exists (select 1 from role_grants g where g.user_id = "users"."id" and coalesce(g.role_key, g.custom_role_id::text) in (${sql.join(input.adminRoles.map((role) => sql`${role}`), sql`, `)})
        and (g.expires_at is null or g.expires_at > ${iso(at)}))`
    : sql`false`;
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      status: users.status,
      createdAt: users.createdAt,
      lastActiveAt: users.lastActiveAt,
      accessExpiresAt: users.accessExpiresAt,
      roles: heldRoles(sql`"users"."id"`, at),
      twoFactorEnabled,
      unitLine: memberUnitLine(sql`"users"."id"`),
      expiringGrants: sql<ExpiringGrant[]>`(select coalesce(json_agg(json_build_object('role', coalesce(g.role_key, g.custom_role_id::text), 'custom', g.custom_role_id is not null,
          'name', coalesce(r.name, g.role_key), 'unitId', g.unit_id, 'unitName', u.name, 'expiresAt', g.expires_at) order by g.expires_at), '[]'::json)
        from role_grants g left join custom_roles r on r.id = g.custom_role_id left join units u on u.id = g.unit_id
        where g.user_id = "users"."id" and ${window(sql`g.expires_at`)})`,
      expiringSubscriptions: sql<ExpiringSubscription[]>`(select coalesce(json_agg(json_build_object('appKey', a.key, 'appName', a.name, 'expiresAt', s.expires_at) order by s.expires_at), '[]'::json)
        from app_subscriptions s join applications a on a.id = s.application_id
        where s.user_id = "users"."id" and ${window(sql`s.expires_at`)})`,
    })
    .from(users)
    .where(
      and(
        eq(users.accountId, accountId),
        sql`${users.status} <> 'disabled'`,
        sql`(${adminGrant}
          or (${users.status} = 'active' and coalesce(${users.lastActiveAt}, ${users.createdAt}) < ${iso(input.inactiveBefore)})
          or (${users.status} = 'invited' and ${users.createdAt} < ${iso(input.invitedBefore)})
          or (${users.accessExpiresAt} is not null and ${window(sql`${users.accessExpiresAt}`)})
          or exists (select 1 from role_grants g where g.user_id = "users"."id" and ${window(sql`g.expires_at`)})
          or exists (select 1 from app_subscriptions s where s.user_id = "users"."id" and ${window(sql`s.expires_at`)})
          or (${input.withoutTwoFactor ? sql`true` : sql`false`} and ${users.status} = 'active' and not ${twoFactorEnabled}))`,
      ),
    )
    .orderBy(asc(users.email));
  // json_agg's timestamps are strings; the membership's is a Date already.
  return rows;
}

export type ReviewCandidate = Awaited<ReturnType<typeof findReviewCandidates>>[number];

/** The account's custom roles with their permissions (which of them administer, lib/reviews decides). */
export async function customRolePermissions(db: Executor, accountId: string) {
  return db.select({ id: customRoles.id, permissions: customRoles.permissions }).from(customRoles).where(eq(customRoles.accountId, accountId));
}

export async function reviewPolicyOf(db: Executor, accountId: string) {
  const [row] = await db.select({ name: accounts.name, everyMonths: accounts.reviewEveryMonths, createdAt: accounts.createdAt, policy: twoFactorPolicyColumns }).from(accounts).where(eq(accounts.id, accountId));
  return row;
}

export async function setReviewEveryMonths(db: Executor, accountId: string, months: number) {
  const [before] = await db.select({ months: accounts.reviewEveryMonths }).from(accounts).where(eq(accounts.id, accountId)).for("no key update");
  await db.update(accounts).set({ reviewEveryMonths: months }).where(eq(accounts.id, accountId));
  return before.months;
}

export type NewReviewLine = Omit<typeof accessReviewLines.$inferInsert, "id" | "reviewId" | "accountId">;

export async function insertReview(db: Executor, review: typeof accessReviews.$inferInsert, lines: readonly NewReviewLine[]) {
  const [row] = await db.insert(accessReviews).values(review).returning();
  if (lines.length) await db.insert(accessReviewLines).values(lines.map((line) => ({ ...line, reviewId: row.id, accountId: row.accountId })));
  return row;
}

/** An account's campaigns, newest first, with how many lines each has and how many are decided. */
export async function listReviews(db: Executor, accountId: string) {
  return db
    .select({
      id: accessReviews.id,
      name: accessReviews.name,
      startedAt: accessReviews.startedAt,
      startedByName: accessReviews.startedByName,
      completedAt: accessReviews.completedAt,
      lines: sql<number>`(select count(*)::int from access_review_lines l where l.review_id = "access_reviews"."id")`,
      decided: sql<number>`(select count(*)::int from access_review_lines l where l.review_id = "access_reviews"."id" and l.decision is not null)`,
    })
    .from(accessReviews)
    .where(eq(accessReviews.accountId, accountId))
    .orderBy(desc(accessReviews.startedAt), desc(accessReviews.id));
}

export async function findReview(db: Executor, accountId: string, reviewId: string, lock = false) {
  const query = db.select().from(accessReviews).where(and(eq(accessReviews.accountId, accountId), eq(accessReviews.id, reviewId))).limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row ?? null;
}

/** A campaign's lines, each with its person's status and roles now (null, none: gone), in the order the page and the export show them. */
export async function reviewLinesOf(db: Executor, reviewId: string, at: Date) {
  const rows = await db
    .select({ line: accessReviewLines, status: users.status, roles: heldRoles(sql`"users"."id"`, at) })
    .from(accessReviewLines)
    .leftJoin(users, eq(users.id, accessReviewLines.userId))
    .where(eq(accessReviewLines.reviewId, reviewId))
    .orderBy(asc(accessReviewLines.reason), asc(accessReviewLines.email), asc(accessReviewLines.id));
  return rows.map((row) => ({ ...row.line, status: row.status, roles: row.line.userId ? row.roles : [] }));
}

export async function findReviewLine(db: Executor, accountId: string, lineId: string, lock = false) {
  const query = db.select().from(accessReviewLines).where(and(eq(accessReviewLines.accountId, accountId), eq(accessReviewLines.id, lineId))).limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row ?? null;
}

export async function recordReviewDecision(db: Executor, lineId: string, decision: { decision: ReviewDecision; outcome: string; decidedBy: string; decidedByName: string; decidedAt: Date }) {
  await db.update(accessReviewLines).set(decision).where(and(eq(accessReviewLines.id, lineId), isNull(accessReviewLines.decision)));
}

/** Marks the campaign complete when no line is left undecided; returns whether this call did. */
export async function completeReviewIfDecided(db: Executor, reviewId: string, at: Date) {
  const rows = await db
    .update(accessReviews)
    .set({ completedAt: at })
    .where(and(eq(accessReviews.id, reviewId), isNull(accessReviews.completedAt), sql`not exists (select 1 from access_review_lines l where l.review_id = "access_reviews"."id" and l.decision is null)`))
    .returning({ id: accessReviews.id });
  return rows.length > 0;
}

/** When the account last completed a review (null: never). */
export async function lastCompletedReviewAt(db: Executor, accountId: string): Promise<Date | null> {
  const [row] = await db.select({ at: sql<Date | null>`max(${accessReviews.completedAt})`.mapWith((v) => (v === null ? null : new Date(v))) }).from(accessReviews).where(eq(accessReviews.accountId, accountId));
  return row?.at ?? null;
}

/**
 * O3: the accounts whose review is due at `at` — their last completed review (or their
 * creation) plus their schedule — with the reminders already sent for that due date, so
 * the job opens no transaction for an account it has nothing to send to.
 */
export async function dueReviews(db: Executor, at: Date) {
  const due = sql`coalesce((select max(r.completed_at) from access_reviews r where r.account_id = "accounts"."id"), "accounts"."created_at") + make_interval(months => "accounts"."review_every_months")`;
  const sent = (kind: "due" | "overdue") => sql<boolean>`exists (select 1 from access_review_reminders m where m.account_id = "accounts"."id" and m.kind = ${kind} and m.due_at = ${due})`;
  const rows = await db
    .select({ accountId: accounts.id, accountName: accounts.name, dueAt: sql<string>`${due}`, dueSent: sent("due"), overdueSent: sent("overdue") })
    .from(accounts)
    .where(sql`${due} <= ${iso(at)}`);
  return rows.map((row) => ({ ...row, dueAt: new Date(row.dueAt) }));
}

/** Notes a reminder as sent; false when it was already (by another runner, or an earlier run). */
export async function noteReviewReminder(db: Executor, reminder: { accountId: string; kind: "due" | "overdue"; dueAt: Date; sentAt: Date }) {
  const rows = await db.insert(accessReviewReminders).values(reminder).onConflictDoNothing().returning({ accountId: accessReviewReminders.accountId });
  return rows.length > 0;
}

/**
 * O3: the account's active members holding reviews.manage for the whole account at `at`
 * — through the Admin role or a custom role that includes it — whom reminders go to.
 */
export async function reviewersOf(db: Executor, accountId: string, at: Date, systemRoles: readonly string[]) {
  return db
    .selectDistinct({ id: users.id, email: users.email, name: users.name })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .leftJoin(customRoles, eq(customRoles.id, roleGrants.customRoleId))
    .where(
      and(
        eq(roleGrants.accountId, accountId),
        isNull(roleGrants.unitId),
        sql`(${systemRoles.length ? inArray(roleGrants.roleKey, [...systemRoles]) : sql`false`} or ${customRoles.permissions} @> array['reviews.manage']::text[])`,
        sql`(${roleGrants.expiresAt} is null or ${roleGrants.expiresAt} > ${iso(at)})`,
        eq(users.status, "active"),
        accessLive(at),
      ),
    )
    .orderBy(asc(users.email));
}
