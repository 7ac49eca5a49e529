import { and, asc, count, desc, eq, isNull, gt, ne, notLike, or, sql, type Column, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { invitations, memberStatusSortKey, roleGrants, users } from "@/db/schema";
import { isSystemRoleKey, resolveRoles, type Permission, type RoleRef } from "@/lib/auth/permissions";
import { reachOf, type Principal, type Reach } from "@/lib/auth/principal";
import { now } from "@/lib/clock";
import { hasPasskeySql } from "./passkeys";
import { accessLive, heldRoles } from "./principals";
import { countInSubtrees, findNarrowedRoots, inSubtrees, memberUnitLine, narrowedRoots, type SubtreeRoots, type SubtreeStrategy } from "./units";

export const MEMBER_STATUSES = ["active", "invited", "disabled"] as const;
export const MEMBER_SORTS = ["name", "email", "status", "lastActive"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export type MemberSort = (typeof MEMBER_SORTS)[number];

/** Whose address decides what T6 hides: the vendor's staff are hidden from customers' admins. */
export type StaffViewer = { accountId: string; email: string };
/** Who is looking: their account and address (T6), and where their roles reach (A4). */
export type MemberViewer = StaffViewer & Pick<Principal, "permissions" | "unitPermissions">;
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
  /** A4: members of this unit or of a unit below it. */
  unit?: string;
  /** A7: members whose property (by key) has exactly this value (a unit property's: the unit's ID). */
  property?: { key: string; value: string };
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
export function staffHidden(viewer: StaffViewer, policy: StaffPolicy, email: SQL | Column = users.email): SQL | undefined {
  const domain = policy.staffEmailDomain?.toLowerCase();
  if (!domain || isStaffEmail(viewer.email, domain)) return undefined;
  return notLike(email, `%@${domain.replace(/[\\%_]/g, (c) => `\\${c}`)}`);
}

/** T6 for one address (an invitee's, say): staff whom this viewer may not see, by the same rule as staffHidden. */
export function isHiddenStaffAddress(viewer: StaffViewer, policy: StaffPolicy, email: string): boolean {
  return staffHidden(viewer, policy) !== undefined && isStaffEmail(email, policy.staffEmailDomain);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A4: the grants of a role on units that repeat one the same person holds already (counted once as holders). */
function repeatedGrants(accountId: string, role: string): SQL {
  const column = isSystemRoleKey(role) ? sql`role_key` : sql`custom_role_id`;
  const value = isSystemRoleKey(role) ? sql`${role}` : sql`${role}::uuid`;
  return sql`select count(*) from role_grants d where d.account_id = ${accountId}::uuid and d.${column} = ${value} and d.unit_id is not null
    and exists (select 1 from role_grants e where e.user_id = d.user_id and e.${column} = d.${column} and (e.unit_id is null or e.unit_id < d.unit_id))`;
}

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

/**
 * A4: the members a reach covers — everyone in the account, or those in the subtrees of
 * its units. One definition for every list and lookup of members.
 */
export function withinReach(reach: Reach, userId: SQL | typeof users.id = users.id, strategy: SubtreeStrategy = "probe"): SQL | undefined {
  return reach.wholeAccount ? undefined : inSubtrees(reach.units, userId, strategy);
}

/** Where either permission reaches: seeing the team, or the one an operation needs (A4). */
function unionReach(a: Reach, b: Reach): Reach {
  if (a.wholeAccount || b.wholeAccount) return { wholeAccount: true };
  return { wholeAccount: false, units: [...new Set([...a.units, ...b.units])] };
}

/** The members this viewer may see (A4): where "See the team" reaches. */
export const seenReach = (viewer: MemberViewer) => reachOf(viewer, "members.read");

/**
 * A4: the subtrees a team-table view shows — the viewer's reach, narrowed by the unit
 * filter — as their top units, or undefined for the whole account. Two subtrees are
 * nested or apart, so a unit filter within a unit administrator's units is that unit;
 * one above theirs leaves theirs; one beside them, nothing.
 */
function viewRoots(viewer: MemberViewer, query: MemberQuery): SubtreeRoots | undefined {
  const reach = seenReach(viewer);
  // A unit of another account has no members here; anything but a UUID matches nobody.
  const unit = query.unit === undefined ? undefined : UUID.test(query.unit) ? query.unit : null;
  if (unit === null) return [];
  if (!unit) return reach.wholeAccount ? undefined : reach.units;
  if (reach.wholeAccount) return [unit];
  return narrowedRoots(reach.units, unit);
}

/**
 * viewRoots with a narrowing looked up first (one small query), so the page's own queries
 * name their units as constants the planner can estimate: a unit administrator filtering
 * by a unit of theirs then pays what the unit filter alone would.
 */
export async function resolvedViewRoots(db: Executor, viewer: MemberViewer, query: MemberQuery): Promise<SubtreeRoots | undefined> {
  const roots = viewRoots(viewer, query);
  if (!roots || Array.isArray(roots)) return roots;
  const reach = seenReach(viewer);
  return reach.wholeAccount ? roots : findNarrowedRoots(db, reach.units, query.unit!);
}

/**
 * A7: the members with this value of the property — one range of the (property, value,
 * user) index, whatever the size of the account.
 */
function hasPropertyValue(accountId: string, property: { key: string; value: string }) {
  return sql`${users.id} in (select v.user_id from user_property_values v where v.value = ${property.value}
    and v.property_id = (select p.id from user_properties p where p.account_id = ${accountId} and p.key = ${property.key}))`;
}

function memberFilter(viewer: MemberViewer, policy: StaffPolicy, query: MemberQuery, roots: SubtreeRoots | undefined, strategy: SubtreeStrategy = "probe"): SQL {
  const term = query.search?.trim();
  return and(
    eq(users.accountId, viewer.accountId),
    roots && inSubtrees(roots, users.id, strategy),
    query.status ? eq(users.status, query.status) : undefined,
    query.role ? holdsRole(query.role) : undefined,
    query.expiring ? expiringSoon(viewer.accountId, query.at ?? now()) : undefined,
    query.property ? hasPropertyValue(viewer.accountId, query.property) : undefined,
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
export function buildMemberQueries(db: Executor, viewer: MemberViewer, policy: StaffPolicy, query: MemberQuery = {}, roots = viewRoots(viewer, query)) {
  const pageSize = Math.min(Math.max(query.pageSize ?? 25, 1), 100);
  const page = Math.max(query.page ?? 1, 1);
  const at = query.at ?? now();
  query = { ...query, at };
  const where = memberFilter(viewer, policy, query, roots);
  // A4: page 1 of a subtree walks the sort index probing each member (it stops after a
  // page); a later page must skip the pages before it, so the subtree's members are read
  // once into a hash and the walk tests against that (db/queries/units.ts inSubtrees).
  const pageWhere = page > 1 ? memberFilter(viewer, policy, query, roots, "hash") : where;
  const order = orderBy(query.sort, query.direction, Boolean(query.search?.trim()));
  // The page's IDs first, from the sort index alone: OFFSET then skips index entries, not
  // rows with their per-row lookups below (page 500 skips 12,475 of them).
  const pageIds = db.select({ id: users.id }).from(users).where(pageWhere).orderBy(...order).limit(pageSize).offset((page - 1) * pageSize).as("page_ids");
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
      contentCount: sql<number>`(select count(*)::int from resources ci where ci.owner_id = "users"."id")`,
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
  const matching = memberFilter(viewer, {}, query, roots);
  // T6 at scale: "not like '%@staff.domain'" would test every member's address (at
  // 100,000 that is most of a page's time), while the few staff come straight from the
  // email trigram index. So: everyone matching, less the staff among them (emails are
  // never null, so the two add up exactly).
  const staffAmong = hidden && db.select({ n: count() }).from(users).where(and(matching, sql`not (${hidden})`));
  // A3: when the role is the only filter, its holders are counted from the grants'
  // (account, role) index alone — every grant is of a member of its own account — rather
  // than by joining 70,000 grants to their members. A4: one person may hold a role for the
  // account and on units too; each grant on a unit that repeats an earlier one of theirs
  // (for the account, or on a unit of lower ID) is taken off, found from the few unit grants.
  const filters = { status: query.status, search: query.search?.trim(), role: query.role, unit: query.unit, expiring: query.expiring, property: query.property };
  const onlyFilter = (filter: keyof typeof filters) => Object.entries(filters).every(([key, value]) => key === filter || !value);
  const role = query.role && (isSystemRoleKey(query.role) || UUID.test(query.role)) && onlyFilter("role") && !roots ? query.role : undefined;
  // A4: the members of a unit's subtree, or a unit administrator's, with nothing else to
  // filter them, are counted from the subtree index alone.
  const subtree = roots && onlyFilter("unit") ? roots : undefined;
  const minusStaff = (n: SQL) => (staffAmong ? sql<number>`${n} - (${staffAmong})`.mapWith(Number) : sql<number>`${n}`.mapWith(Number));
  const total = subtree
    ? countInSubtrees(db, viewer.accountId, subtree, minusStaff)
    : role
      ? db
          .select({ total: minusStaff(sql`count(*) - (${repeatedGrants(viewer.accountId, role)})`) })
          .from(roleGrants)
          .where(and(eq(roleGrants.accountId, viewer.accountId), isSystemRoleKey(role) ? eq(roleGrants.roleKey, role) : eq(roleGrants.customRoleId, role)))
      : staffAmong
        ? db.select({ total: minusStaff(sql`count(*)`) }).from(users).where(matching)
        : db.select({ total: count() }).from(users).where(where);
  return { rows, total, page, pageSize };
}

/**
 * T1: one page of an account's members and pending invitations, searched, filtered and
 * sorted on the server. The page, the API and the benchmark all use this function.
 */
export async function listMembers(db: Executor, viewer: MemberViewer, policy: StaffPolicy, query: MemberQuery = {}) {
  const built = buildMemberQueries(db, viewer, policy, query, await resolvedViewRoots(db, viewer, query));
  const [rows, [{ total }]] = await Promise.all([built.rows, built.total]);
  return {
    rows: rows.map((row) => ({ ...row, roles: resolveRoles(row.roles).map(({ key, name, custom, unit }) => ({ key, name, custom, unit })) })) as MemberRow[],
    total,
    page: built.page,
    pageSize: built.pageSize,
    pageCount: Math.max(1, Math.ceil(total / built.pageSize)),
  };
}

/**
 * A member of the viewer's account that the viewer may see, or null (foreign IDs look
 * absent): within the reach of "See the team" or of `permission`, the one the caller is
 * about to use (A4). With `unitLine`, the member's units and every unit above them, for
 * can(…, memberScope(member)).
 */
export async function findVisibleMember(db: Executor, viewer: MemberViewer, policy: StaffPolicy, userId: string, options: { lock?: boolean; permission?: Permission } = {}) {
  const reach = options.permission ? unionReach(seenReach(viewer), reachOf(viewer, options.permission)) : seenReach(viewer);
  const query = db
    .select({ user: users, unitLine: memberUnitLine(sql`"users"."id"`) })
    .from(users)
    .where(and(eq(users.accountId, viewer.accountId), eq(users.id, userId), staffHidden(viewer, policy), withinReach(reach)))
    .limit(1);
  const [row] = options.lock ? await query.for("update", { of: users }) : await query;
  return row ? { ...row.user, unitLine: row.unitLine } : null;
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
        // Admin on a unit administers that unit only: the account's Admins hold it for the whole account.
        isNull(roleGrants.unitId),
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
