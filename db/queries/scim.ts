import { and, asc, count, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts, identityProviders, roleGrants, scimIdentities, scimTokens, users } from "@/db/schema";
import { now } from "@/lib/clock";
import { sha256 } from "@/lib/crypto";
import { staffHidden, type StaffPolicy } from "./members";

export type ScimDeleteAction = (typeof accounts.$inferSelect)["scimDeleteAction"];

// ---- Tokens (B3) ----

export async function insertScimToken(tx: Executor, values: { accountId: string; name: string; prefix: string; token: string; permissions: string[]; createdBy: string }) {
  const [row] = await tx
    .insert(scimTokens)
    .values({ accountId: values.accountId, name: values.name, prefix: values.prefix, tokenHash: sha256(values.token), permissions: values.permissions, createdBy: values.createdBy })
    .returning({ id: scimTokens.id, prefix: scimTokens.prefix, createdAt: scimTokens.createdAt });
  return row;
}

export async function listScimTokens(db: Executor, accountId: string) {
  return db
    .select({
      id: scimTokens.id,
      name: scimTokens.name,
      prefix: scimTokens.prefix,
      createdAt: scimTokens.createdAt,
      lastUsedAt: scimTokens.lastUsedAt,
      revokedAt: scimTokens.revokedAt,
      createdByEmail: users.email,
    })
    .from(scimTokens)
    .leftJoin(users, eq(users.id, scimTokens.createdBy))
    .where(eq(scimTokens.accountId, accountId))
    .orderBy(desc(scimTokens.createdAt));
}

/** Revokes one of the account's live tokens; null when there is none with this ID. */
export async function revokeScimTokenRow(tx: Executor, accountId: string, tokenId: string) {
  const [row] = await tx
    .update(scimTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(scimTokens.id, tokenId), eq(scimTokens.accountId, accountId), isNull(scimTokens.revokedAt)))
    .returning({ id: scimTokens.id, name: scimTokens.name, prefix: scimTokens.prefix });
  return row ?? null;
}

/**
 * A live token by its value. Tokens carry 256 bits of entropy, so looking one up by its
 * SHA-256 reveals nothing through timing (as API keys, lib/api-keys.ts).
 */
export async function findLiveScimToken(db: Executor, token: string) {
  const [row] = await db
    .select({ id: scimTokens.id, accountId: scimTokens.accountId, name: scimTokens.name, prefix: scimTokens.prefix, permissions: scimTokens.permissions })
    .from(scimTokens)
    .innerJoin(accounts, eq(accounts.id, scimTokens.accountId))
    .where(and(eq(scimTokens.tokenHash, sha256(token)), isNull(scimTokens.revokedAt)))
    .limit(1);
  return row ?? null;
}

/** Last use, written at most once a minute per token. */
export async function touchScimToken(db: Executor, tokenId: string) {
  await db
    .update(scimTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(scimTokens.id, tokenId), sql`(${scimTokens.lastUsedAt} is null or ${scimTokens.lastUsedAt} < now() - interval '1 minute')`));
}

export async function accountHasIdentityProvider(db: Executor, accountId: string) {
  const [row] = await db.select({ accountId: identityProviders.accountId }).from(identityProviders).where(eq(identityProviders.accountId, accountId));
  return Boolean(row);
}

/** B3: what a SCIM DELETE of a person does in this account. */
export async function scimDeleteActionOf(db: Executor, accountId: string): Promise<ScimDeleteAction> {
  const [row] = await db.select({ action: accounts.scimDeleteAction }).from(accounts).where(eq(accounts.id, accountId));
  return row?.action ?? "disable";
}

export async function setScimDeleteActionRow(tx: Executor, accountId: string, action: ScimDeleteAction) {
  await tx.update(accounts).set({ scimDeleteAction: action }).where(eq(accounts.id, accountId));
}

// ---- Users (B3) ----

/** A member as SCIM shows them: a person of the account, with what the IdP knows them by. */
export type ScimUserRow = {
  id: string;
  email: string;
  name: string;
  status: "invited" | "active" | "disabled";
  createdAt: Date;
  userName: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  updatedAt: Date | null;
};

const userNameOf = sql<string>`coalesce(${scimIdentities.userName}, ${users.email})`;

const scimUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  status: users.status,
  createdAt: users.createdAt,
  userName: userNameOf,
  externalId: scimIdentities.externalId,
  givenName: scimIdentities.givenName,
  familyName: scimIdentities.familyName,
  updatedAt: scimIdentities.updatedAt,
};

/** What a SCIM filter may ask of users (lib/scim/filter.ts), each compared for equality. */
export type ScimUserMatch = { id?: string; userName?: string; externalId?: string; displayName?: string; email?: string };

function scimUsersWhere(accountId: string, viewer: { email: string }, policy: StaffPolicy, match: ScimUserMatch): SQL {
  const conditions: (SQL | undefined)[] = [
    eq(users.accountId, accountId),
    // Workstations are places, not people an IdP knows (A3).
    eq(users.kind, "person"),
    isNull(scimIdentities.deletedAt),
    staffHidden({ accountId, email: viewer.email }, policy),
  ];
  // RFC 7643: id, externalId and the name are case-exact; userName and emails are not.
  if (match.id !== undefined) conditions.push(sql`${users.id}::text = ${match.id}`);
  // By the two indexes (scim_identities' lower(user_name), users' email) rather than a scan
  // of the account: IdPs look every person up by userName before creating them.
  if (match.userName !== undefined) {
    conditions.push(sql`${users.id} in (
      select s.user_id from scim_identities s where s.account_id = ${accountId} and lower(s.user_name) = lower(${match.userName})
      union all
      select u.id from users u where u.email = lower(${match.userName}) and not exists (select 1 from scim_identities s where s.user_id = u.id))`);
  }
  if (match.externalId !== undefined) conditions.push(eq(scimIdentities.externalId, match.externalId));
  if (match.displayName !== undefined) conditions.push(eq(users.name, match.displayName));
  if (match.email !== undefined) conditions.push(eq(users.email, match.email.toLowerCase()));
  return and(...conditions)!;
}

/** One page of the account's people for SCIM (RFC 7644 §3.4.2.4: startIndex is 1-based), with the total. */
export async function listScimUsers(db: Executor, accountId: string, viewer: { email: string }, policy: StaffPolicy, match: ScimUserMatch, page: { offset: number; limit: number }) {
  const where = scimUsersWhere(accountId, viewer, policy, match);
  const [{ total }] = await db.select({ total: count() }).from(users).leftJoin(scimIdentities, eq(scimIdentities.userId, users.id)).where(where);
  const rows: ScimUserRow[] =
    page.limit === 0
      ? []
      : await db.select(scimUserColumns).from(users).leftJoin(scimIdentities, eq(scimIdentities.userId, users.id)).where(where).orderBy(asc(users.createdAt), asc(users.id)).offset(page.offset).limit(page.limit);
  return { total, rows };
}

export async function findScimUser(db: Executor, accountId: string, viewer: { email: string }, policy: StaffPolicy, userId: string): Promise<ScimUserRow | null> {
  const [row] = await db.select(scimUserColumns).from(users).leftJoin(scimIdentities, eq(scimIdentities.userId, users.id)).where(scimUsersWhere(accountId, viewer, policy, { id: userId })).limit(1);
  return row ?? null;
}

/** A member deleted through SCIM earlier, by their address: the IdP may create them again. */
export async function findScimDeletedMember(db: Executor, accountId: string, email: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, status: users.status })
    .from(users)
    .innerJoin(scimIdentities, eq(scimIdentities.userId, users.id))
    .where(and(eq(users.accountId, accountId), eq(users.email, email.toLowerCase()), sql`${scimIdentities.deletedAt} is not null`))
    .limit(1);
  return row ?? null;
}

export type ScimIdentityValues = { userName: string; externalId: string | null; givenName: string | null; familyName: string | null };

/** What the IdP knows a member by, written beside the member (unique per account: a clash throws a unique violation). */
export async function writeScimIdentity(tx: Executor, member: { id: string; accountId: string }, values: ScimIdentityValues) {
  await tx
    .insert(scimIdentities)
    .values({ userId: member.id, accountId: member.accountId, ...values, deletedAt: null })
    .onConflictDoUpdate({ target: scimIdentities.userId, set: { ...values, deletedAt: null, updatedAt: sql`now()` } });
}

/** B3: whether this account's identity provider created this member through SCIM (and has not deleted them). */
export async function isProvisionedByScim(db: Executor, member: { id: string; accountId: string }) {
  const [row] = await db
    .select({ userId: scimIdentities.userId })
    .from(scimIdentities)
    .where(and(eq(scimIdentities.userId, member.id), eq(scimIdentities.accountId, member.accountId), isNull(scimIdentities.deletedAt)))
    .limit(1);
  return row !== undefined;
}

export async function markScimDeleted(tx: Executor, member: { id: string; accountId: string; email: string }) {
  await tx
    .insert(scimIdentities)
    .values({ userId: member.id, accountId: member.accountId, userName: member.email, deletedAt: sql`now()` })
    .onConflictDoUpdate({ target: scimIdentities.userId, set: { deletedAt: sql`now()`, updatedAt: sql`now()` } });
}

// ---- Groups (B3): roles ----

/** The people who hold a role for the whole account (not on a unit, A4), as SCIM members. */
export async function listRoleHolders(db: Executor, accountId: string, viewer: { email: string }, policy: StaffPolicy, role: { key: string; custom: boolean }) {
  return db
    .selectDistinct({ id: users.id, userName: userNameOf, createdAt: users.createdAt })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .leftJoin(scimIdentities, eq(scimIdentities.userId, users.id))
    .where(
      and(
        eq(roleGrants.accountId, accountId),
        role.custom ? sql`${roleGrants.customRoleId}::text = ${role.key}` : eq(roleGrants.roleKey, role.key),
        isNull(roleGrants.unitId),
        // A5: on the clock's time, as the principal's query reads grants.
        sql`(${roleGrants.expiresAt} is null or ${roleGrants.expiresAt} > ${now().toISOString()}::timestamptz)`,
        scimUsersWhere(accountId, viewer, policy, {}),
      ),
    )
    .orderBy(asc(users.createdAt), asc(users.id));
}
