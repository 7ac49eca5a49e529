import { and, asc, eq, gte, inArray, isNull, lt, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts, auditChainHeads, auditEvents, users } from "@/db/schema";

/** O1: the hash before an account's first row (and its anchor until retention moves it). */
export const GENESIS_HASH = "0".repeat(64);
/** O1: the chain of rows written without an account. */
export const NO_ACCOUNT_CHAIN = "00000000-0000-0000-0000-000000000000";

/**
 * O1: a row's canonical text, hashed with the previous row's hash. Written in SQL so the
 * insert, the verification and migration 0019's back-fill compute it one way: jsonb's text
 * form is deterministic (keys sorted, one spacing), and the time is spelt in UTC to the
 * microsecond whatever the session's TimeZone. Changing this changes every hash.
 */
const canonical = (row: string) =>
  sql.raw(
    `jsonb_build_array(${row}.id, ${row}.account_id, ${row}.actor_id, ${row}.action, ${row}.target_type, ${row}.target_id, ${row}.ip, ${row}.user_agent, ${row}.details, to_char(${row}.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text`,
  );
const hashOf = (prev: SQL, row: string) => sql`encode(sha256(convert_to(${prev} || ${canonical(row)}, 'UTF8')), 'hex')`;

/** postgres.js returns the rows, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export type NewAuditRow = {
  accountId: string | null;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  at: Date;
};

/**
 * O1: appends one row to its account's chain. Must run inside the transaction of the change
 * it records: locking the chain's head row serialises this account's writers until that
 * transaction ends, so the next writer chains to this row (and a rollback takes row and
 * head back together). The id is drawn after the lock, so id order is chain order.
 */
export async function appendAuditRow(tx: Executor, row: NewAuditRow) {
  const key = row.accountId ?? NO_ACCOUNT_CHAIN;
  const [head] = await tx
    .insert(auditChainHeads)
    .values({ accountId: key, lastHash: GENESIS_HASH, anchorHash: GENESIS_HASH })
    .onConflictDoUpdate({ target: auditChainHeads.accountId, set: { lastHash: sql`${auditChainHeads.lastHash}` } })
    .returning({ lastHash: auditChainHeads.lastHash });
  const prev = head.lastHash;
  await tx.execute(sql`
    with v as (
      select nextval(pg_get_serial_sequence('audit_events', 'id')) as id, ${row.accountId}::uuid as account_id, ${row.actorId}::uuid as actor_id,
        ${row.action}::text as action, ${row.targetType}::text as target_type, ${row.targetId}::text as target_id, ${row.ip}::text as ip,
        ${row.userAgent}::text as user_agent, ${JSON.stringify(row.details)}::jsonb as details, ${row.at.toISOString()}::timestamptz as created_at
    ), inserted as (
      insert into audit_events (id, account_id, actor_id, action, target_type, target_id, ip, user_agent, details, created_at, prev_hash, hash)
      select v.*, ${prev}, ${hashOf(sql`${prev}::text`, "v")} from v
      returning id, hash
    )
    update audit_chain_heads set last_id = inserted.id, last_hash = inserted.hash from inserted where audit_chain_heads.account_id = ${key}`);
}

export type ChainBreak = { id: number; createdAt: Date; action: string; problem: "altered" | "unlinked" | "missing_after" | "missing_before" };
export type ChainReport = { accountId: string; rows: number; headHash: string; broken: ChainBreak | null };

/**
 * O1: recomputes one account's chain in its order and names the first row that fails —
 * one whose fields no longer give its hash (changed after it was written), or whose
 * prev_hash is not the hash of the row before it (a row removed or changed and re-hashed
 * before it). The head catches removal of the newest rows; the anchor, of the oldest.
 */
export async function verifyAuditChain(db: Executor, accountId: string): Promise<ChainReport> {
  const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.accountId, accountId));
  const anchor = head?.anchorHash ?? GENESIS_HASH;
  const inChain = accountId === NO_ACCOUNT_CHAIN ? sql`e.account_id is null` : sql`e.account_id = ${accountId}`;
  const broken = rowsOf<{ id: string | number; created_at: string | Date; action: string; problem: ChainBreak["problem"] }>(
    await db.execute(sql`
      select id, created_at, action, problem from (
        select e.id, e.created_at, e.action,
          case
            when e.prev_hash is distinct from coalesce(lag(e.hash) over (order by e.id), ${anchor}) then 'unlinked'
            when e.hash is distinct from ${hashOf(sql`e.prev_hash`, "e")} then 'altered'
          end as problem
        from audit_events e where ${inChain}
      ) checked where problem is not null order by id limit 1`),
  )[0];
  const [last] = rowsOf<{ rows: string | number; last_id: string | number | null; last_hash: string | null; created_at: string | Date | null; action: string | null }>(
    await db.execute(sql`
      select (select count(*) from audit_events e where ${inChain}) as rows, l.id as last_id, l.hash as last_hash, l.created_at, l.action
      from (select 1) one left join lateral (select id, hash, created_at, action from audit_events e where ${inChain} order by id desc limit 1) l on true`),
  );
  const headHash = head?.lastHash ?? GENESIS_HASH;
  const report = { accountId, rows: Number(last.rows), headHash };
  if (broken) return { ...report, broken: { id: Number(broken.id), createdAt: new Date(broken.created_at), action: broken.action, problem: broken.problem } };
  const tail = last.last_hash ?? anchor;
  if (tail !== headHash) {
    const problem = last.last_id === null ? "missing_before" : "missing_after";
    return { ...report, broken: { id: Number(last.last_id ?? 0), createdAt: new Date(last.created_at ?? 0), action: last.action ?? "", problem } };
  }
  return { ...report, broken: null };
}

/** Every chain there is (`npm run audit:verify` without --account). */
export async function listAuditChains(db: Executor): Promise<string[]> {
  const heads = await db.select({ accountId: auditChainHeads.accountId }).from(auditChainHeads).orderBy(asc(auditChainHeads.accountId));
  return heads.map((head) => head.accountId);
}

/**
 * O1 retention: removes the account's rows older than `before` — the oldest stretch of its
 * chain only, up to its first row not older, so what stays is one unbroken chain — and
 * moves the anchor to the last removed row's hash. The append-only trigger allows DELETE
 * only when `roster.audit_retention` is on, set here for this transaction alone.
 */
export async function deleteAuditRowsBefore(tx: Executor, accountId: string, before: Date): Promise<number> {
  const [cut] = rowsOf<{ last_id: string | number | null; last_hash: string | null }>(
    await tx.execute(sql`
      select id as last_id, hash as last_hash from audit_events
      where account_id = ${accountId} and id < coalesce((select min(id) from audit_events where account_id = ${accountId} and created_at >= ${before.toISOString()}::timestamptz), 9223372036854775807)
      order by id desc limit 1`),
  );
  if (!cut?.last_id) return 0;
  await tx.execute(sql`select set_config('roster.audit_retention', 'on', true)`);
  const deleted = await tx.delete(auditEvents).where(and(eq(auditEvents.accountId, accountId), sql`${auditEvents.id} <= ${Number(cut.last_id)}`)).returning({ id: auditEvents.id });
  await tx.execute(sql`select set_config('roster.audit_retention', 'off', true)`);
  await tx.update(auditChainHeads).set({ anchorId: Number(cut.last_id), anchorHash: cut.last_hash! }).where(eq(auditChainHeads.accountId, accountId));
  return deleted.length;
}

/** O1: accounts that keep their audit log for a limited time. */
export async function accountsWithAuditRetention(db: Executor) {
  return db.select({ id: accounts.id, days: accounts.auditRetentionDays }).from(accounts).where(sql`${accounts.auditRetentionDays} is not null`);
}

export async function setAuditRetention(tx: Executor, accountId: string, days: number | null) {
  await tx.update(accounts).set({ auditRetentionDays: days }).where(eq(accounts.id, accountId));
}

export async function auditRetentionOf(db: Executor, accountId: string): Promise<number | null> {
  const [row] = await db.select({ days: accounts.auditRetentionDays }).from(accounts).where(eq(accounts.id, accountId));
  return row?.days ?? null;
}

// ---- Reading the log ----

/** What the log is filtered by (all of it in the page's URL). */
export type AuditFilter = {
  /** An actor's ID or address. */
  actor?: string;
  action?: string;
  /** A target's ID, or a member's address (their ID too). */
  target?: string;
  /** Days, YYYY-MM-DD in UTC, both inclusive. */
  from?: string;
  to?: string;
  /** Free text in the details. */
  q?: string;
  /** A member's own trail: what they did and what was done to them (their ID). */
  member?: string;
};

/** A position in the log: the (created_at, id) of a row, the time to the microsecond. */
export type AuditCursor = { at: string; id: number };

export type AuditViewer = { accountId: string };
/** T6: what the viewer may not see — the vendor's staff, as actors or targets. Empty for staff. */
export type HiddenStaff = { ids: string[]; domain: string } | null;

export type AuditRow = {
  id: number;
  createdAt: Date;
  cursor: string;
  actorId: string | null;
  actorEmail: string | null;
  actorName: string | null;
  action: string;
  /** A member target's address (their ID alone says little to people). */
  targetEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** T6: the staff of this account a customer's reader may not see (few: found by the email trigram index). */
export async function staffOfAccount(db: Executor, accountId: string, domain: string): Promise<string[]> {
  const found = await db.select({ id: users.id }).from(users).where(and(eq(users.accountId, accountId), sql`${users.email} like ${`%@${likeEscape(domain.toLowerCase())}`}`));
  return found.map((user) => user.id);
}

/** The IDs an actor or target filter names: an ID as it is, an address as the account's member with it (and itself, for invitations). */
async function idsFor(db: Executor, accountId: string, value: string): Promise<string[]> {
  const text = value.trim();
  if (UUID.test(text)) return [text.toLowerCase()];
  const found = await db.select({ id: users.id }).from(users).where(and(eq(users.accountId, accountId), eq(users.email, text.toLowerCase())));
  return [...found.map((user) => user.id), text.toLowerCase()];
}

/** The where-clause of a filtered log (shared by the page, the export and the benchmark). */
export async function auditWhere(db: Executor, viewer: AuditViewer, filter: AuditFilter, hidden: HiddenStaff): Promise<SQL> {
  const conditions: (SQL | undefined)[] = [eq(auditEvents.accountId, viewer.accountId)];
  if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
  if (filter.actor) {
    const ids = (await idsFor(db, viewer.accountId, filter.actor)).filter((id) => UUID.test(id));
    conditions.push(ids.length ? inArray(auditEvents.actorId, ids) : sql`false`);
  }
  if (filter.target) conditions.push(inArray(auditEvents.targetId, await idsFor(db, viewer.accountId, filter.target)));
  if (filter.member) conditions.push(UUID.test(filter.member) ? or(eq(auditEvents.actorId, filter.member), eq(auditEvents.targetId, filter.member)) : sql`false`);
  if (filter.from) conditions.push(gte(auditEvents.createdAt, new Date(`${filter.from}T00:00:00Z`)));
  if (filter.to) conditions.push(lt(auditEvents.createdAt, new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000)));
  if (filter.q) conditions.push(sql`(${auditEvents.details}::text) ilike ${`%${likeEscape(filter.q)}%`}`);
  if (hidden) {
    if (hidden.ids.length) conditions.push(or(isNull(auditEvents.actorId), notInArray(auditEvents.actorId, hidden.ids)));
    conditions.push(or(isNull(auditEvents.targetId), and(hidden.ids.length ? notInArray(auditEvents.targetId, hidden.ids) : undefined, sql`${auditEvents.targetId} not like ${`%@${likeEscape(hidden.domain.toLowerCase())}`}`)));
  }
  return and(...conditions)!;
}

/** A cursor as the page spells one — a real instant, an id a bigint holds — or undefined (never a database error). */
export function parseAuditCursor(text: string | undefined): AuditCursor | undefined {
  const match = text?.match(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{6}Z)_(\d{1,15})$/);
  // Year 0 is no year to PostgreSQL.
  if (!match || match[1].startsWith("0000") || Number.isNaN(Date.parse(`${match[1]}Z`)) || new Date(`${match[1]}Z`).toISOString().slice(0, 19) !== match[1]) return undefined;
  return { at: match[1] + match[2], id: Number(match[3]) };
}

/**
 * O1: one page of the log, newest first, by keyset: `older` than a cursor (the next page
 * down) or `newer` than one (the page above). One index range scan however deep the page,
 * where OFFSET would read and discard every row above it.
 */
export async function listAuditEvents(db: Executor, where: SQL, page: AuditPage): Promise<AuditRow[]> {
  const rows = rowsOf<RawAuditRow>(await db.execute(auditPageQuery(where, page))).map(toAuditRow);
  return page.newer ? rows.reverse() : rows;
}

/**
 * `by: "chain"` orders by id alone, the order rows were committed in within an account (the
 * chain's lock is held from drawing the id to the commit): /api/v1 follows the log forward
 * by it without missing a row whose transaction took long. The page goes by time.
 */
export type AuditPage = { older?: AuditCursor; newer?: AuditCursor; limit: number; by?: "time" | "chain" };
type RawAuditRow = {
  id: string | number;
  created_at: Date | string;
  cursor: string;
  actor_id: string | null;
  actor_email: string | null;
  actor_name: string | null;
  action: string;
  target_email: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown> | string;
};

const toAuditRow = (row: RawAuditRow): AuditRow => ({
  id: Number(row.id),
  createdAt: new Date(row.created_at),
  cursor: row.cursor,
  actorId: row.actor_id,
  actorEmail: row.actor_email,
  actorName: row.actor_name,
  action: row.action,
  targetEmail: row.target_email,
  targetType: row.target_type,
  targetId: row.target_id,
  ip: row.ip,
  userAgent: row.user_agent,
  details: typeof row.details === "string" ? (JSON.parse(row.details) as Record<string, unknown>) : row.details,
});

/**
 * The statement of listAuditEvents (the benchmark prints its plan): the page's rows by
 * index first, then their actor and (a member) target by primary key — 51 lookups,
 * whatever the size of the log. Sent through the driver without the query builder's row
 * mapping, which at a few milliseconds a page was as costly as the query itself.
 */
export function auditPageQuery(where: SQL, page: AuditPage): SQL {
  const chain = page.by === "chain";
  const key = chain ? sql`id` : sql`(created_at, id)`;
  const at = (cursor: AuditCursor) => (chain ? sql`${cursor.id}::bigint` : sql`(${cursor.at}::timestamptz, ${cursor.id})`);
  const position = page.older ? sql`and ${key} < ${at(page.older)}` : page.newer ? sql`and ${key} > ${at(page.newer)}` : sql``;
  const order = (prefix: string) => sql.raw([...(chain ? [] : ["created_at"]), "id"].map((column) => `${prefix}${column} ${page.newer ? "asc" : "desc"}`).join(", "));
  return sql`
    select e.id, e.created_at, to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '_' || e.id as cursor,
      e.actor_id, a.email as actor_email, a.name as actor_name, e.action, t.email as target_email, e.target_type, e.target_id, e.ip, e.user_agent, e.details
    from (select * from audit_events where ${where} ${position} order by ${order("")} limit ${page.limit}) e
    left join users a on a.id = e.actor_id
    -- A target is a member when its type says so; an ID that is not a UUID joins nothing rather than failing the cast.
    left join users t on t.id = (case when e.target_type = 'user' and e.target_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then e.target_id::uuid end)
    order by ${order("e.")}`;
}

