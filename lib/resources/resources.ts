import type { Executor } from "@/db/client";
import {
  deleteShare,
  findAccountPerson,
  findResource,
  findTeam,
  insertResource,
  resourceScopeOf,
  setResourceAllUsers,
  updateResourceSize,
  upsertShare,
  type ResourceRow,
} from "@/db/queries/resources";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import { can, mayNotSee, refusalFor, type Principal, type ResourceAbility } from "@/lib/auth/principal";
import { isSized, KIND_LABELS } from "./kinds";
import { quotaBreach } from "./quotas";
import type { CreateResourceInput } from "./schemas";

export const NO_SUCH_RESOURCE = "No such resource.";
export const NO_SUCH_TEAM = "No such team.";

/**
 * A6: the resource, when the principal may do this to it (can() with the resource as its
 * scope). One they may not see reads as "no such resource", exactly like another account's.
 */
export async function resourceOrRefuse(db: Executor, principal: Principal, resourceId: string, ability: ResourceAbility, lock = false): Promise<ResourceRow> {
  const resource = await findResource(db, principal.accountId, resourceId, lock);
  if (!resource) refuse(NO_SUCH_RESOURCE, "not_found");
  const refusal = refusalFor(principal, ability, resourceScopeOf(resource));
  if (refusal) refuse(refusal.code === "not_found" ? NO_SUCH_RESOURCE : refusal.message, refusal.code);
  return resource;
}

/** A6: whether this principal may see each of these, in the same order (the Resources page and GET /api/v1/resources). */
export const visibleResources = (principal: Principal, rows: readonly ResourceRow[]) => rows.filter((row) => can(principal, "resource.view", resourceScopeOf(row)));

/**
 * A6: what a principal who may see a resource gets of it — "edit", "view", or for a
 * workflow they may not edit, its execution "log" only (its definition, size and shares
 * are not theirs to read). The console and /api/v1 both answer with this.
 */
export function accessTo(principal: Principal, row: ResourceRow): "edit" | "view" | "log" {
  if (can(principal, "resource.edit", resourceScopeOf(row))) return "edit";
  return row.kind === "workflow" ? "log" : "view";
}

type Size = { cpuMillis: number | null; memoryMb: number | null; storageGb: number | null };

/** A6: refuses when adding `delta` to the team would pass one of its quotas. The team row is locked, so two creates cannot both squeeze in. */
async function assertWithinQuota(tx: Executor, accountId: string, teamId: string, delta: Partial<Record<"cpuMillis" | "memoryMb" | "storageGb" | "apps" | "workflows" | "workspaces", number>>) {
  const team = await findTeam(tx, accountId, teamId, true);
  if (!team) refuse(NO_SUCH_TEAM, "not_found");
  const breach = quotaBreach(team, team.usage, delta);
  if (breach) refuse(breach);
  return team;
}

const countDelta = (kind: string) => (kind === "app" ? { apps: 1 } : kind === "workflow" ? { workflows: 1 } : kind === "workspace" ? { workspaces: 1 } : {});

/**
 * A6: creates a resource owned by the principal. A workspace goes in a project they may
 * edit; a resource in a team counts against the team's quotas (they must be in the team,
 * unless they manage teams); only apps and workflows have a size.
 */
export async function createResource(tx: Executor, actor: Actor, input: CreateResourceInput) {
  const { principal } = actor;
  const size: Size = isSized(input.kind) ? { cpuMillis: input.cpuMillis, memoryMb: input.memoryMb, storageGb: input.storageGb } : { cpuMillis: null, memoryMb: null, storageGb: null };
  let parentId: string | null = null;
  let teamId = input.teamId;
  // A workspace is in its project's team, and counts against that team's quotas whoever makes it.
  let inProjectTeam = false;
  if (input.kind === "workspace") {
    if (!input.parentId) refuse("A workspace belongs to a project: choose one.", "invalid");
    const parent = await resourceOrRefuse(tx, principal, input.parentId, "resource.edit");
    if (parent.kind !== "project") refuse("A workspace belongs to a project: choose one.", "invalid");
    parentId = parent.id;
    if (parent.teamId) {
      if (teamId && teamId !== parent.teamId) refuse(`A workspace is in its project's team: ${parent.name}'s.`, "invalid");
      teamId = parent.teamId;
      inProjectTeam = true;
    }
  } else if (input.parentId) refuse("Only a workspace belongs to a project.", "invalid");
  let teamName: string | null = null;
  if (teamId) {
    const team = await findTeam(tx, principal.accountId, teamId);
    if (!team || team.archivedAt) refuse(NO_SUCH_TEAM, "not_found");
    if (!inProjectTeam && !principal.teams.has(team.id) && !can(principal, "teams.manage")) refuse(`You are not a member of the ${team.name} team.`, "forbidden");
    await assertWithinQuota(tx, principal.accountId, team.id, { ...countDelta(input.kind), cpuMillis: size.cpuMillis ?? 0, memoryMb: size.memoryMb ?? 0, storageGb: size.storageGb ?? 0 });
    teamName = team.name;
  }
  const allUsers = input.kind === "data_source" && input.allUsers;
  const id = await insertResource(tx, { accountId: principal.accountId, ownerId: principal.id, kind: input.kind, name: input.name, parentId, teamId, allUsers, ...size });
  await recordAuditBy(tx, actor, { action: "resource.created", target: { type: "resource", id }, details: { kind: input.kind, name: input.name, team: teamName, ...size } });
  return { id, kind: input.kind, name: input.name };
}

/** A6: changes an app's or a workflow's size; growing it must stay within its team's quotas. */
export async function resizeResource(tx: Executor, actor: Actor, input: { resourceId: string } & Size) {
  const resource = await resourceOrRefuse(tx, actor.principal, input.resourceId, "resource.edit", true);
  if (!isSized(resource.kind)) refuse(`${KIND_LABELS[resource.kind].one}s have no size.`, "invalid");
  const size: Size = { cpuMillis: input.cpuMillis, memoryMb: input.memoryMb, storageGb: input.storageGb };
  if (resource.teamId) {
    await assertWithinQuota(tx, actor.principal.accountId, resource.teamId, {
      cpuMillis: (size.cpuMillis ?? 0) - (resource.cpuMillis ?? 0),
      memoryMb: (size.memoryMb ?? 0) - (resource.memoryMb ?? 0),
      storageGb: (size.storageGb ?? 0) - (resource.storageGb ?? 0),
    });
  }
  await updateResourceSize(tx, resource.id, size);
  const before = { cpuMillis: resource.cpuMillis, memoryMb: resource.memoryMb, storageGb: resource.storageGb };
  await recordAuditBy(tx, actor, { action: "resource.resized", target: { type: "resource", id: resource.id }, details: { name: resource.name, before, after: size } });
  return { id: resource.id };
}

/**
 * A6: shares a resource with a team or a person, to view or edit (again: changes the
 * level). Whoever may edit the resource may share it; a team's lead may also change what
 * is shared with their team — but only a resource they may see, and to edit only one they may edit.
 */
export async function shareResource(tx: Executor, actor: Actor, input: { resourceId: string; with: { teamId: string } | { userId: string }; level: "view" | "edit" }) {
  const { principal } = actor;
  const to = input.with;
  const resource = await sharingResource(tx, principal, input.resourceId, "teamId" in to ? to.teamId : null);
  // A lead who may only view it shares no more than that: Edit would be theirs too, as a member of the team.
  if (input.level === "edit" && !can(principal, "resource.edit", resourceScopeOf(resource))) {
    refuse(`You may only view this ${KIND_LABELS[resource.kind].one.toLowerCase()}, so you can share it with your team to view, not to edit.`, "forbidden");
  }
  let recipient: string;
  if ("teamId" in to) {
    const team = await findTeam(tx, principal.accountId, to.teamId);
    if (!team || team.archivedAt) refuse(NO_SUCH_TEAM, "not_found");
    recipient = `the ${team.name} team`;
  } else {
    const member = await findAccountPerson(tx, principal.accountId, to.userId);
    // T6: the vendor's staff are nobody a customer can name.
    if (!member || member.status === "invited" || mayNotSee(principal, member.email)) refuse("No such member in this account.", "not_found");
    if (resource.owners[0] === member.id) refuse(`${member.name || member.email} owns this ${KIND_LABELS[resource.kind].one.toLowerCase()} already.`);
    recipient = member.name || member.email;
  }
  await upsertShare(tx, resource.id, to, input.level);
  await recordAuditBy(tx, actor, { action: "resource.shared", target: { type: "resource", id: resource.id }, details: { name: resource.name, with: to, level: input.level } });
  return { id: resource.id, name: resource.name, recipient, level: input.level };
}

/** A6: stops one share. */
export async function unshareResource(tx: Executor, actor: Actor, input: { resourceId: string; shareId: string }) {
  const before = await findResource(tx, actor.principal.accountId, input.resourceId);
  const share = before?.shares.find((entry) => entry.id === input.shareId && !entry.inherited);
  if (!before || !share) refuse("No such share.", "not_found");
  const resource = await sharingResource(tx, actor.principal, input.resourceId, share.teamId);
  await deleteShare(tx, resource.id, share.id);
  await recordAuditBy(tx, actor, { action: "resource.unshared", target: { type: "resource", id: resource.id }, details: { name: resource.name, with: share.teamId ? { teamId: share.teamId } : { userId: share.userId } } });
  return { id: resource.id, recipient: share.name };
}

/** Who may change a resource's shares: whoever may edit it; for a share with a team, also that team's lead (when they see the resource). */
async function sharingResource(tx: Executor, principal: Principal, resourceId: string, teamId: string | null) {
  const resource = await resourceOrRefuse(tx, principal, resourceId, "resource.view", true);
  if (can(principal, "resource.edit", resourceScopeOf(resource))) return resource;
  if (teamId) {
    const team = await findTeam(tx, principal.accountId, teamId);
    if (team && can(principal, "team.manage_members", { kind: "team", accountId: team.accountId, id: team.id, leadId: team.leadId })) return resource;
  }
  return refuse(refusalFor(principal, "resource.edit", resourceScopeOf(resource))?.message ?? "You may not share this.", "forbidden");
}

/** A6: a data source is Private (its shares alone) or open to all users of the account, to view. */
export async function setDataSourceAudience(tx: Executor, actor: Actor, input: { resourceId: string; allUsers: boolean }) {
  const resource = await resourceOrRefuse(tx, actor.principal, input.resourceId, "resource.edit", true);
  if (resource.kind !== "data_source") refuse("Only a data source can be open to all users.", "invalid");
  await setResourceAllUsers(tx, resource.id, input.allUsers);
  await recordAuditBy(tx, actor, { action: "resource.audience_changed", target: { type: "resource", id: resource.id }, details: { name: resource.name, allUsers: input.allUsers } });
  return { id: resource.id, allUsers: input.allUsers };
}
