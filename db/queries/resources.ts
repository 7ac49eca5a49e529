import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { resources, resourceShares, teamMembers, teams, users, type ResourceKind, type ShareLevel } from "@/db/schema";
import type { ResourceScope } from "@/lib/auth/principal";

/** A share as lists show it: a team or a person, by name. */
export type ShareRow = { id: string; teamId: string | null; userId: string | null; name: string; level: ShareLevel; inherited: boolean };

export type ResourceRow = {
  id: string;
  accountId: string;
  kind: ResourceKind;
  name: string;
  ownerId: string;
  ownerName: string;
  ownerEmail: string;
  parentId: string | null;
  parentName: string | null;
  teamId: string | null;
  teamName: string | null;
  cpuMillis: number | null;
  memoryMb: number | null;
  storageGb: number | null;
  allUsers: boolean;
  /** Its own shares, then (a workspace) its project's, marked inherited. */
  shares: ShareRow[];
  /** The owner, and a workspace's project's owner (they reach the workspace too). */
  owners: string[];
};

const sharesOf = (resourceId: SQL | ReturnType<typeof sql.raw>, inherited: boolean) => sql`(select coalesce(json_agg(json_build_object(
    'id', s.id, 'teamId', s.team_id, 'userId', s.user_id, 'name', coalesce(t.name, u.name, u.email), 'level', s.level, 'inherited', ${inherited}::boolean)
    order by s.created_at, s.id), '[]'::json)
  from resource_shares s left join teams t on t.id = s.team_id left join users u on u.id = s.user_id where s.resource_id = ${resourceId})`;

const resourceIdColumn = sql.raw(`"resources"."id"`);
const resourceParentColumn = sql.raw(`"resources"."parent_id"`);
const resourceTeamColumn = sql.raw(`"resources"."team_id"`);

function selectResources(db: Executor) {
  return db
    .select({
      id: resources.id,
      accountId: resources.accountId,
      kind: resources.kind,
      name: resources.name,
      ownerId: resources.ownerId,
      ownerName: users.name,
      ownerEmail: users.email,
      parentId: resources.parentId,
      parentName: sql<string | null>`(select p.name from resources p where p.id = ${resourceParentColumn})`,
      teamId: resources.teamId,
      teamName: sql<string | null>`(select t.name from teams t where t.id = ${resourceTeamColumn})`,
      cpuMillis: resources.cpuMillis,
      memoryMb: resources.memoryMb,
      storageGb: resources.storageGb,
      allUsers: resources.allUsers,
      own: sharesOf(resourceIdColumn, false),
      inherited: sql`case when ${resourceParentColumn} is not null then ${sharesOf(resourceParentColumn, true)} else '[]'::json end`,
      parentOwnerId: sql<string | null>`(select p.owner_id from resources p where p.id = ${resourceParentColumn})`,
    })
    .from(resources)
    .innerJoin(users, eq(users.id, resources.ownerId))
    .$dynamic();
}

type Raw = Awaited<ReturnType<ReturnType<typeof selectResources>["execute"]>>[number];
const parse = <T>(value: unknown): T => (typeof value === "string" ? (JSON.parse(value) as T) : (value as T));

function toRow({ own, inherited, parentOwnerId, ...row }: Raw): ResourceRow {
  return {
    ...row,
    shares: [...parse<ShareRow[]>(own), ...parse<ShareRow[]>(inherited)],
    owners: parentOwnerId && parentOwnerId !== row.ownerId ? [row.ownerId, parentOwnerId] : [row.ownerId],
  };
}

/** A6: a resource as can() weighs it. */
export const resourceScopeOf = (row: ResourceRow): ResourceScope => ({
  kind: "resource",
  accountId: row.accountId,
  id: row.id,
  resourceKind: row.kind,
  owners: row.owners,
  allUsers: row.allUsers,
  shares: row.shares,
});

/** Every resource of the account, by kind and name (the Resources page and the API filter them by can()). */
export async function listAccountResources(db: Executor, accountId: string, filter: { ownerId?: string } = {}): Promise<ResourceRow[]> {
  const rows = await selectResources(db)
    .where(and(eq(resources.accountId, accountId), filter.ownerId ? eq(resources.ownerId, filter.ownerId) : undefined))
    .orderBy(asc(resources.kind), asc(sql`lower(${resources.name})`), asc(resources.id));
  return rows.map(toRow);
}

/** One resource of the account (null: none, or another account's). */
export async function findResource(db: Executor, accountId: string, id: string, lock = false): Promise<ResourceRow | null> {
  if (lock) await db.select({ id: resources.id }).from(resources).where(and(eq(resources.accountId, accountId), eq(resources.id, id))).for("update");
  const [row] = await selectResources(db).where(and(eq(resources.accountId, accountId), eq(resources.id, id)));
  return row ? toRow(row) : null;
}

export type NewResource = {
  accountId: string;
  ownerId: string;
  kind: ResourceKind;
  name: string;
  parentId: string | null;
  teamId: string | null;
  cpuMillis: number | null;
  memoryMb: number | null;
  storageGb: number | null;
  allUsers: boolean;
};

export async function insertResource(tx: Executor, values: NewResource) {
  const [row] = await tx.insert(resources).values(values).returning({ id: resources.id });
  return row.id;
}

export async function updateResourceSize(tx: Executor, id: string, size: { cpuMillis: number | null; memoryMb: number | null; storageGb: number | null }) {
  await tx.update(resources).set(size).where(eq(resources.id, id));
}

export async function setResourceAllUsers(tx: Executor, id: string, allUsers: boolean) {
  await tx.update(resources).set({ allUsers }).where(eq(resources.id, id));
}

/** Adds a share or changes its level. */
export async function upsertShare(tx: Executor, resourceId: string, to: { teamId: string } | { userId: string }, level: ShareLevel) {
  const target = "teamId" in to ? [resourceShares.resourceId, resourceShares.teamId] : [resourceShares.resourceId, resourceShares.userId];
  await tx
    .insert(resourceShares)
    .values({ resourceId, level, ...to })
    .onConflictDoUpdate({ target, targetWhere: undefined, set: { level } });
}

export async function deleteShare(tx: Executor, resourceId: string, shareId: string) {
  const [row] = await tx.delete(resourceShares).where(and(eq(resourceShares.id, shareId), eq(resourceShares.resourceId, resourceId))).returning();
  return row ?? null;
}

/** T4: what a person owns, counted by kind. */
export async function ownedCountsByKind(db: Executor, accountId: string, userId: string): Promise<{ kind: ResourceKind; count: number }[]> {
  return db
    .select({ kind: resources.kind, count: sql<number>`count(*)::int` })
    .from(resources)
    .where(and(eq(resources.accountId, accountId), eq(resources.ownerId, userId)))
    .groupBy(resources.kind)
    .orderBy(asc(resources.kind));
}

/** T4: hands these (or all) of a person's resources to another owner; returns the IDs moved. */
export async function reassignOwner(tx: Executor, accountId: string, fromUserId: string, toUserId: string, ids: readonly string[] | null): Promise<{ id: string; kind: ResourceKind; name: string }[]> {
  return tx
    .update(resources)
    .set({ ownerId: toUserId })
    .where(and(eq(resources.accountId, accountId), eq(resources.ownerId, fromUserId), ids ? inArray(resources.id, [...ids]) : undefined))
    .returning({ id: resources.id, kind: resources.kind, name: resources.name });
}

// ---- Teams ----

export type TeamUsage = { cpuMillis: number; memoryMb: number; storageGb: number; apps: number; workflows: number; workspaces: number };
export const QUOTA_FIELDS = ["maxCpuMillis", "maxMemoryMb", "maxStorageGb", "maxApps", "maxWorkflows", "maxWorkspaces"] as const;
export type Quotas = Record<(typeof QUOTA_FIELDS)[number], number | null>;

export type TeamRow = Quotas & {
  id: string;
  accountId: string;
  name: string;
  description: string;
  leadId: string | null;
  leadName: string | null;
  archivedAt: Date | null;
  members: { id: string; name: string; email: string }[];
  usage: TeamUsage;
  shares: number;
};

const usageOf = (teamId: SQL | ReturnType<typeof sql.raw>) => sql<TeamUsage>`(select json_build_object(
    'cpuMillis', coalesce(sum(r.cpu_millis), 0), 'memoryMb', coalesce(sum(r.memory_mb), 0), 'storageGb', coalesce(sum(r.storage_gb), 0),
    'apps', count(*) filter (where r.kind = 'app'), 'workflows', count(*) filter (where r.kind = 'workflow'), 'workspaces', count(*) filter (where r.kind = 'workspace'))
  from resources r where r.team_id = ${teamId})`;

/** Qualified by hand: drizzle writes a column of a join-less select unqualified, which a subquery's own tables would capture. */
const teamIdColumn = sql.raw(`"teams"."id"`);
const teamLeadColumn = sql.raw(`"teams"."lead_id"`);

function selectTeams(db: Executor) {
  return db
    .select({
      id: teams.id,
      accountId: teams.accountId,
      name: teams.name,
      description: teams.description,
      leadId: teams.leadId,
      leadName: sql<string | null>`(select u.name from users u where u.id = ${teamLeadColumn})`,
      archivedAt: teams.archivedAt,
      maxCpuMillis: teams.maxCpuMillis,
      maxMemoryMb: teams.maxMemoryMb,
      maxStorageGb: teams.maxStorageGb,
      maxApps: teams.maxApps,
      maxWorkflows: teams.maxWorkflows,
      maxWorkspaces: teams.maxWorkspaces,
      members: sql<TeamRow["members"]>`(select coalesce(json_agg(json_build_object('id', u.id, 'name', u.name, 'email', u.email) order by lower(u.name), u.id), '[]'::json)
        from team_members m join users u on u.id = m.user_id where m.team_id = ${teamIdColumn})`,
      usage: usageOf(teamIdColumn),
      shares: sql<number>`(select count(*)::int from resource_shares s where s.team_id = ${teamIdColumn})`,
    })
    .from(teams)
    .$dynamic();
}

const toTeam = (row: Awaited<ReturnType<ReturnType<typeof selectTeams>["execute"]>>[number]): TeamRow => ({
  ...row,
  members: parse(row.members),
  usage: parse(row.usage),
});

export async function listTeams(db: Executor, accountId: string): Promise<TeamRow[]> {
  const rows = await selectTeams(db).where(eq(teams.accountId, accountId)).orderBy(sql`${teams.archivedAt} is not null`, asc(sql`lower(${teams.name})`));
  return rows.map(toTeam);
}

export async function findTeam(db: Executor, accountId: string, id: string, lock = false): Promise<TeamRow | null> {
  if (lock) await db.select({ id: teams.id }).from(teams).where(and(eq(teams.accountId, accountId), eq(teams.id, id))).for("update");
  const [row] = await selectTeams(db).where(and(eq(teams.accountId, accountId), eq(teams.id, id)));
  return row ? toTeam(row) : null;
}

export async function findTeamByName(db: Executor, accountId: string, name: string) {
  const [row] = await db.select({ id: teams.id }).from(teams).where(and(eq(teams.accountId, accountId), sql`lower(${teams.name}) = lower(${name})`));
  return row ?? null;
}

export type TeamValues = Quotas & { name: string; description: string; leadId: string | null };

export async function insertTeam(tx: Executor, accountId: string, values: TeamValues) {
  const [row] = await tx.insert(teams).values({ accountId, ...values }).returning({ id: teams.id });
  return row.id;
}

export async function updateTeam(tx: Executor, id: string, values: Partial<TeamValues> & { archivedAt?: Date | null }) {
  await tx.update(teams).set(values).where(eq(teams.id, id));
}

export async function deleteTeamRow(tx: Executor, id: string) {
  await tx.update(resources).set({ teamId: null }).where(eq(resources.teamId, id));
  await tx.delete(teams).where(eq(teams.id, id));
}

export async function setTeamMembers(tx: Executor, teamId: string, userIds: readonly string[]) {
  await tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (userIds.length) await tx.insert(teamMembers).values(userIds.map((userId) => ({ teamId, userId })));
}

export async function deleteTeamShares(tx: Executor, teamId: string) {
  return (await tx.delete(resourceShares).where(eq(resourceShares.teamId, teamId)).returning({ id: resourceShares.id })).length;
}

/** The account's members a team may hold (IDs that are not the account's are left out). */
export async function accountMemberIds(db: Executor, accountId: string, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db.select({ id: users.id }).from(users).where(and(eq(users.accountId, accountId), inArray(users.id, [...ids])));
  return rows.map((row) => row.id);
}

/** The account's people to choose from (team members, share recipients, new owners). */
export async function listPeopleChoices(db: Executor, accountId: string) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, status: users.status })
    .from(users)
    .where(and(eq(users.accountId, accountId), sql`${users.status} <> 'invited'`))
    .orderBy(asc(sql`lower(${users.name})`), asc(users.id));
}

/** A person of the account by ID (a share's recipient, a team member), whatever the viewer's roles. */
export async function findAccountPerson(db: Executor, accountId: string, userId: string) {
  const [row] = await db.select({ id: users.id, name: users.name, email: users.email, status: users.status }).from(users).where(and(eq(users.accountId, accountId), eq(users.id, userId)));
  return row ?? null;
}
