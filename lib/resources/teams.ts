import type { Executor } from "@/db/client";
import { accountMemberIds, deleteTeamRow, deleteTeamShares, findTeam, findTeamByName, insertTeam, setTeamMembers, updateTeam, type TeamRow } from "@/db/queries/resources";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import { refusalFor, type Principal } from "@/lib/auth/principal";
import { now } from "@/lib/clock";
import { NO_SUCH_TEAM } from "./resources";
import type { TeamInput } from "./schemas";

const teamScope = (team: TeamRow) => ({ kind: "team" as const, accountId: team.accountId, id: team.id, leadId: team.leadId });

/** The team, when the principal may manage its members (whoever manages teams, or its lead); another account's reads as none. */
export async function teamOrRefuse(db: Executor, principal: Principal, teamId: string, lock = false) {
  const team = await findTeam(db, principal.accountId, teamId, lock);
  if (!team) refuse(NO_SUCH_TEAM, "not_found");
  const refusal = refusalFor(principal, "team.manage_members", teamScope(team));
  if (refusal) refuse(refusal.message, refusal.code);
  return team;
}

async function membersOf(tx: Executor, accountId: string, input: { memberIds: string[]; leadId: string | null }) {
  const wanted = [...new Set([...input.memberIds, ...(input.leadId ? [input.leadId] : [])])];
  const found = await accountMemberIds(tx, accountId, wanted);
  if (found.length !== wanted.length) refuse("No such member in this account.", "not_found");
  return found;
}

const quotasOf = (input: TeamInput) => ({
  maxCpuMillis: input.maxCpuMillis,
  maxMemoryMb: input.maxMemoryMb,
  maxStorageGb: input.maxStorageGb,
  maxApps: input.maxApps,
  maxWorkflows: input.maxWorkflows,
  maxWorkspaces: input.maxWorkspaces,
});

/** A6: a team with a name, description, members, an optional lead (a member too) and optional quotas. */
export async function createTeam(tx: Executor, actor: Actor, input: TeamInput) {
  const { principal } = actor;
  if (await findTeamByName(tx, principal.accountId, input.name)) refuse(`There is already a team called ${input.name}.`);
  const members = await membersOf(tx, principal.accountId, input);
  const id = await insertTeam(tx, principal.accountId, { name: input.name, description: input.description, leadId: input.leadId, ...quotasOf(input) });
  await setTeamMembers(tx, id, members);
  await recordAuditBy(tx, actor, { action: "team.created", target: { type: "team", id }, details: { name: input.name, leadId: input.leadId, members: members.length, quotas: quotasOf(input) } });
  return { id, name: input.name };
}

/** A6: changes a team's name, description, lead, quotas and members (whoever manages teams). */
export async function editTeam(tx: Executor, actor: Actor, input: TeamInput & { teamId: string }) {
  const { principal } = actor;
  const team = await findTeam(tx, principal.accountId, input.teamId, true);
  if (!team) refuse(NO_SUCH_TEAM, "not_found");
  const same = await findTeamByName(tx, principal.accountId, input.name);
  if (same && same.id !== team.id) refuse(`There is already a team called ${input.name}.`);
  const members = await membersOf(tx, principal.accountId, input);
  await updateTeam(tx, team.id, { name: input.name, description: input.description, leadId: input.leadId, ...quotasOf(input) });
  await setTeamMembers(tx, team.id, members);
  await recordAuditBy(tx, actor, {
    action: "team.updated",
    target: { type: "team", id: team.id },
    details: { name: input.name, before: { name: team.name, leadId: team.leadId, members: team.members.length }, after: { leadId: input.leadId, members: members.length }, quotas: quotasOf(input) },
  });
  return { id: team.id, name: input.name };
}

/** A6: a team's lead (or whoever manages teams) changes who is in it; the lead stays in. */
export async function changeTeamMembers(tx: Executor, actor: Actor, input: { teamId: string; memberIds: string[] }) {
  const team = await teamOrRefuse(tx, actor.principal, input.teamId, true);
  const members = await membersOf(tx, team.accountId, { memberIds: input.memberIds, leadId: team.leadId });
  await setTeamMembers(tx, team.id, members);
  const before = new Set(team.members.map((member) => member.id));
  const added = members.filter((id) => !before.has(id));
  const removed = [...before].filter((id) => !members.includes(id));
  await recordAuditBy(tx, actor, { action: "team.members_changed", target: { type: "team", id: team.id }, details: { name: team.name, added, removed } });
  return { id: team.id, name: team.name, members: members.length };
}

/** A6: an archived team keeps its members and resources but gives no access through its shares, and takes no new resources. */
export async function archiveTeam(tx: Executor, actor: Actor, input: { teamId: string; archived: boolean }) {
  const team = await findTeam(tx, actor.principal.accountId, input.teamId, true);
  if (!team) refuse(NO_SUCH_TEAM, "not_found");
  if (Boolean(team.archivedAt) === input.archived) refuse(input.archived ? `${team.name} is archived already.` : `${team.name} is not archived.`);
  await updateTeam(tx, team.id, { archivedAt: input.archived ? now() : null });
  await recordAuditBy(tx, actor, { action: input.archived ? "team.archived" : "team.restored", target: { type: "team", id: team.id }, details: { name: team.name } });
  return { id: team.id, name: team.name };
}

/**
 * A6: deletes a team. One that holds shares asks what to do with them first: `shares:
 * "remove"` says to take them away with it (its resources stay, out of its quotas).
 */
export async function deleteTeam(tx: Executor, actor: Actor, input: { teamId: string; shares?: "remove" }) {
  const team = await findTeam(tx, actor.principal.accountId, input.teamId, true);
  if (!team) refuse(NO_SUCH_TEAM, "not_found");
  if (team.shares > 0 && input.shares !== "remove") {
    refuse(`${team.name} holds ${team.shares} ${team.shares === 1 ? "share" : "shares"}: its members lose what was shared with the team. Confirm removing ${team.shares === 1 ? "it" : "them"} to delete the team.`);
  }
  const removed = await deleteTeamShares(tx, team.id);
  await deleteTeamRow(tx, team.id);
  await recordAuditBy(tx, actor, { action: "team.deleted", target: { type: "team", id: team.id }, details: { name: team.name, sharesRemoved: removed, members: team.members.length } });
  return { id: team.id, name: team.name, sharesRemoved: removed };
}
