import { and, asc, count, desc, eq, isNull, gt, ne, notLike, or, sql, type Column, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { invitations, memberStatusSortKey, roleGrants, users } from "@/db/schema";
import { isSystemRoleKey, resolveRoles, type RoleRef } from "@/lib/auth/permissions";
import { now } from "@/lib/clock";
import { hasPasskeySql } from "./passkeys";
import { accessLive, heldRoles } from "./principals";

export const MEMBER_STATUSES = ["active", "invited", "disabled"] as const;
export const MEMBER_SORTS = ["name", "email", "status", "lastActive"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export type MemberSort = (typeof MEMBER_SORTS)[number];

/** Who is looking: T6 hides the vendor's staff from customers' admins. */
export type MemberViewer = { accountId: string; email: string };
export type StaffPolicy = { staffEmailDomain?: string };

export type MemberQuery = {
  search?: string;
  status?: MemberStatus;
  /** A3: members holding this role (a predefined role's key, or a custom role's ID). */
  role?: string;
  /** A5: members whose membership, a role or an application subscription expires within 30 days of `at`. */
  expiring?: boolean;
  /** The clock's time (lib/clock.ts): what has expired, and what expires soon, is judged at it. */
  at?: Date;
  sort?: MemberSort;
  direction?: "asc" | "desc";
  page?: number;
  pageSize?: number;
};

export type MemberRow = {
  id: string;
  name: string;
  email: string;
  roles: RoleRef[];
  kind: "person" | "workstation";
  status: MemberStatus;
  lastActiveAt: Date | null;
  /** P3, B1: an authenticator app or a passkey. */
  twoFactorEnabled: boolean;
  sso: boolean;
  avatarVersion: number | null;
  contentCount: number;
  invitationExpiresAt: Date | null;
  /** A5: the membership has expired (access refused, whether or not the expiry job has run). */
  accessExpired: boolean;
  /** A5: the soonest expiry still to come — of the membership, a role or an application. */
  nextExpiresAt: Date | null;
};

export const EXPIRING_WITHIN_DAYS = 30;

const isStaffEmail = (email: string, domain?: string) => Boolean(domain) && email.toLowerCase().endsWith(`@${domain!.toLowerCase()}`);

/** LIKE pattern for a partial match; the user's %, _ and \ are literal. */
function containsPattern(term: string) {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * T6: staff rows are visible only to staff. `email` is the (lower-case) address column to
 * filter on: a member's email, or the recipient of a message.
 */
export function staffHidden(viewer: MemberViewer, policy: StaffPolicy, email: SQL | Column = users.email): SQL | undefined {
  const domain = policy.staffEmailDomain?.toLowerCase();
  if (!domain || isStaffEmail(viewer.email, domain)) return undefined;
  return notLike(email, `%@${domain.replace(/[\\%_]/g, (c) => `\\${c}`)}`);
}

/** T6 for one address (an invitee's, say): staff whom this viewer may not see, by the same rule as staffHidden. */
export function isHiddenStaffAddress(viewer: MemberViewer, policy: StaffPolicy, email: string): boolean {
  return staffHidden(viewer, policy) !== undefined && isStaffEmail(email, policy.staffEmailDomain);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A3: holds the role — by the grants' (user, role) unique indexes, one probe per member. */
function holdsRole(role: string): SQL {
  // Anything but a predefined key or a UUID matches nobody (never a cast error).
  if (!isSystemRoleKey(role) && !UUID.test(role)) return sql`false`;
  const match = isSystemRoleKey(role) ? sql`g.role_key = ${role}` : sql`g.custom_role_id = ${role}::uuid`;
  return sql`exists (select 1 from role_grants g where g.user_id = ${users.id} and ${match})`;
}

/**
 * A5: members with something expiring within 30 days — the few rows of the three partial
 * expiry indexes, gathered first, rather than three probes for every member of the account.
 * As an array (`= any(array(…))`) the planner fetches those members by primary key; as
 * `in (…)` it hashed the set and read all 100,000 members to join it (bench, 2026-11-30).
 */
function expiringSoon(accountId: string, at: Date): SQL {
  const from = at.toISOString();
  const until = new Date(at.getTime() + EXPIRING_WITHIN_DAYS * 86_400_000).toISOString();
  const within = (column: SQL) => sql`${column} > ${from}::timestamptz and ${column} <= ${until}::timestamptz`;
  return sql`${users.id} = any(array(
    select u.id from users u where u.account_id = ${accountId} and ${within(sql`u.access_expires_at`)}
    union select g.user_id from role_grants g where g.account_id = ${accountId} and ${within(sql`g.expires_at`)}
    union select s.user_id from app_subscriptions s where s.account_id = ${accountId} and ${within(sql`s.expires_at`)}))`;
}

function memberFilter(viewer: MemberViewer, policy: StaffPolicy, query: MemberQuery): SQL {
  const term = query.search?.trim();
  return and(
    eq(users.accountId, viewer.accountId),
    query.status ? eq(users.status, query.status) : undefined,
    query.role ? holdsRole(query.role) : undefined,
    query.expiring ? expiringSoon(viewer.accountId, query.at ?? now()) : undefined,
    // Served by the pg_trgm GIN indexes on lower(name) and email (emails are stored lower-case).
    term ? or(sql`lower(${users.name}) like ${containsPattern(term)}`, sql`${users.email} like ${containsPattern(term)}`) : undefined,
    staffHidden(viewer, policy),
  )!;
}

function orderBy(sort: MemberSort = "name", direction: "asc" | "desc" = "asc", searching = false): SQL[] {
  const dir = direction === "desc" ? desc : asc;
  // With a search term the matches come from the trigram indexes and are sorted
  // afterwards (top-N). Without the "|| ''" the planner may walk the whole name index in
  // order, filtering row by row (80,000 rows for a common name at 100,000 members).
  const unordered = (expression: SQL) => (searching ? sql`(${expression} || '')` : expression);
  const column: SQL = {
    name: unordered(sql`lower(${users.name})`),
    email: unordered(sql`${users.email}`),
    status: searching ? sql`(${memberStatusSortKey(users.status)} + 0)` : memberStatusSortKey(users.status),
    lastActive: searching ? sql`(${users.lastActiveAt} + interval '0')` : sql`${users.lastActiveAt}`,
  }[sort];
  // The ID keeps pages stable and follows the direction, so a descending sort is the exact
  // mirror of the ascending one and reads the same index backwards. Never-active members
  // sort last either way (their own index: db/schema/accounts.ts).
  const nulls = sort === "lastActive" ? sql` nulls last` : sql``;
  return [sql`${dir(column)}${nulls}`, dir(users.id)];
}

/** The two statements behind a team-table page (rows and total), unexecuted. */
export function buildMemberQueries(db: Executor, viewer: MemberViewer, policy: StaffPolicy, query: MemberQuery = {}) {
  const pageSize = Math.min(Math.max(query.pageSize ?? 25, 1), 100);
  const page = Math.max(query.page ?? 1, 1);
  const at = query.at ?? now();
  query = { ...query, at };
  const where = memberFilter(viewer, policy, query);
  const order = orderBy(query.sort, query.direction, Boolean(query.search?.trim()));
  // The page's IDs first, from the sort index alone: OFFSET then skips index entries, not
  // rows with their per-row lookups below (page 500 skips 12,475 of them).
  const pageIds = db.select({ id: users.id }).from(users).where(where).orderBy(...order).limit(pageSize).offset((page - 1) * pageSize).as("page_ids");
  const rows = db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      roles: heldRoles(sql`"users"."id"`, at),
      kind: users.kind,
      status: users.status,
      lastActiveAt: users.lastActiveAt,
      // The passkey lookup first: it then runs once per row of the page, like the lookups below.
      twoFactorEnabled: sql<boolean>`(${hasPasskeySql(sql`"users"."id"`)} or ${users.totpEnabledAt} is not null)`,
      sso: sql<boolean>`${users.ssoSubject} is not null`,
      // Correlated subqueries name their columns by hand ("users"."id" is the outer row);
      // they run for the page's rows only.
      contentCount: sql<number>`(select count(*)::int from content_items ci where ci.owner_id = "users"."id")`,
      avatarVersion: sql<number | null>`(select (extract(epoch from p.avatar_updated_at) * 1000)::bigint from profiles p where p.user_id = "users"."id")`.mapWith(
        (value) => (value === null ? null : Number(value)),
      ),
      invitationExpiresAt: sql<Date | null>`(select max(i.expires_at) from invitations i
        where i.user_id = "users"."id" and i.accepted_at is null and i.revoked_at is null)`.mapWith((value) =>
        value === null ? null : new Date(value),
      ),
      accessExpired: sql<boolean>`not ${accessLive(at)}`,
      // least() skips nulls: whichever of the three comes first, if any.
      nextExpiresAt: sql<Date | null>`least(
        case when ${users.accessExpiresAt} > ${at.toISOString()}::timestamptz then ${users.accessExpiresAt} end,
        (select min(g.expires_at) from role_grants g where g.user_id = "users"."id" and g.expires_at > ${at.toISOString()}::timestamptz),
        (select min(s.expires_at) from app_subscriptions s where s.user_id = "users"."id" and s.expires_at > ${at.toISOString()}::timestamptz))`.mapWith(
        (value) => (value === null ? null : new Date(value)),
      ),
    })
    .from(users)
    .innerJoin(pageIds, eq(users.id, pageIds.id))
    .orderBy(...order);
  const hidden = staffHidden(viewer, policy);
  const matching = memberFilter(viewer, {}, query);
  // T6 at scale: "not like '%@staff.domain'" would test every member's address (at
  // 100,000 that is most of a page's time), while the few staff come straight from the
  // email trigram index. So: everyone matching, less the staff among them (emails are
  // never null, so the two add up exactly).
  const staffAmong = hidden && db.select({ n: count() }).from(users).where(and(matching, sql`not (${hidden})`));
  // A3: when the role is the only filter, its holders are counted from the grants'
  // (account, role) index alone — every grant is of a member of its own account — rather
  // than by joining 70,000 grants to their members.
  const role = query.role && (isSystemRoleKey(query.role) || UUID.test(query.role)) && !query.status && !query.expiring && !query.search?.trim() ? query.role : undefined;
  const counted = role
    ? { from: roleGrants, where: and(eq(roleGrants.accountId, viewer.accountId), isSystemRoleKey(role) ? eq(roleGrants.roleKey, role) : eq(roleGrants.customRoleId, role))! }
    : { from: users, where: matching };
  const total = staffAmong
    ? db.select({ total: sql<number>`count(*) - (${staffAmong})`.mapWith(Number) }).from(counted.from).where(counted.where)
    : db.select({ total: count() }).from(counted.from).where(role ? counted.where : where);
  return { rows, total, page, pageSize };
}

/**
 * T1: one page of an account's members and pending invitations, searched, filtered and
 * sorted on the server. The page, the API and the benchmark all use this function.
 */
export async function listMembers(db: Executor, viewer: MemberViewer, policy: StaffPolicy, query: MemberQuery = {}) {
  const built = buildMemberQueries(db, viewer, policy, query);
  const [rows, [{ total }]] = await Promise.all([built.rows, built.total]);
  return {
    rows: rows.map((row) => ({ ...row, roles: resolveRoles(row.roles).map(({ key, name, custom }) => ({ key, name, custom })) })) as MemberRow[],
    total,
    page: built.page,
    pageSize: built.pageSize,
    pageCount: Math.max(1, Math.ceil(total / built.pageSize)),
  };
}

/** A member of the viewer's account that the viewer may see, or null (foreign IDs look absent). */
export async function findVisibleMember(db: Executor, viewer: MemberViewer, policy: StaffPolicy, userId: string, lock = false) {
  const query = db
    .select()
    .from(users)
    .where(and(eq(users.accountId, viewer.accountId), eq(users.id, userId), staffHidden(viewer, policy)))
    .limit(1);
  const [member] = lock ? await query.for("update") : await query;
  return member ?? null;
}

/**
 * A3: how many other active members hold the Admin role (an account always keeps one).
 * A5: an Admin whose membership or Admin grant has expired at `at` holds nothing; with
 * `permanent`, only Admins whose membership and Admin grant never expire count (the ones
 * that an expiry set now cannot take away).
 */
export async function countOtherActiveAdmins(db: Executor, accountId: string, exceptUserId: string, { at = now(), permanent = false }: { at?: Date; permanent?: boolean } = {}) {
  const [{ n }] = await db
    .select({ n: count() })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(
      and(
        eq(roleGrants.accountId, accountId),
        eq(roleGrants.roleKey, "admin"),
        eq(users.status, "active"),
        ne(users.id, exceptUserId),
        permanent ? sql`${roleGrants.expiresAt} is null and ${users.accessExpiresAt} is null` : sql`(${roleGrants.expiresAt} is null or ${roleGrants.expiresAt} > ${at.toISOString()}::timestamptz) and ${accessLive(at)}`,
      ),
    );
  return n;
}

/** Open invitation of an invited member. */
export async function findOpenInvitation(db: Executor, userId: string) {
  const [row] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.userId, userId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`)))
    .limit(1);
  return row ?? null;
}
