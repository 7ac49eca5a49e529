import { listRoleHolders, findScimUser } from "@/db/queries/scim";
import { rolesOfMember } from "@/db/queries/roles";
import type { Executor, Tx } from "@/db/client";
import { config } from "@/lib/config";
import type { Actor } from "@/lib/actions/actor";
import { updateCustomRole } from "@/lib/team/custom-roles";
import { roleChoices, setMemberRoles, WORKSTATION_ROLE, type RoleChoice } from "@/lib/team/roles";
import { asScim, ScimProblem } from "./errors";
import { parseEqualityFilter } from "./filter";
import { listResponse, pageOf, scimBaseUrl, type ScimContext } from "./handler";
import { applyGroupPatch, memberIdsOf, patchOperations, type GroupState } from "./patch";
import { PROVISIONED_ROLE } from "./users";

export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

/**
 * B3: a SCIM Group is one of the account's roles (A3) — a predefined one (id: its key,
 * "admin") or a custom one (id: its UUID) — and its members are the people who hold it for
 * the whole account. The workstation role is not offered: it is for places, not people.
 */
const staffPolicy = () => ({ staffEmailDomain: config().staffEmailDomain });

async function groups(db: Executor, accountId: string) {
  return (await roleChoices(db, accountId)).filter((role) => role.key !== WORKSTATION_ROLE);
}

async function membersOf(db: Executor, ctx: ScimContext, role: RoleChoice) {
  return listRoleHolders(db, ctx.principal.accountId, ctx.principal, staffPolicy(), role);
}

function toScimGroup(role: RoleChoice, members: { id: string; userName: string }[] | null) {
  return {
    schemas: [GROUP_SCHEMA],
    id: role.key,
    displayName: role.name,
    ...(members ? { members: members.map((member) => ({ value: member.id, display: member.userName, $ref: `${scimBaseUrl()}/Users/${member.id}` })) } : {}),
    meta: { resourceType: "Group", location: `${scimBaseUrl()}/Groups/${role.key}` },
  };
}

/** Entra asks for groups without their members (excludedAttributes=members): large groups stay cheap. */
const wantsMembers = (url: URL) => !/(^|,)\s*members\s*(,|$)/i.test(url.searchParams.get("excludedAttributes") ?? "");

const sameName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: "accent" }) === 0;

export async function listGroups(ctx: ScimContext) {
  const match = parseEqualityFilter(ctx.url.searchParams.get("filter"), { displayName: "displayName", id: "id", externalId: "externalId" });
  const page = pageOf(ctx.url);
  const all = (await groups(ctx.db, ctx.principal.accountId)).filter(
    (role) =>
      // No externalId is kept for a role: a lookup by one finds nothing (the IdP then asks by name).
      match.externalId === undefined && (match.id === undefined || role.key === match.id) && (match.displayName === undefined || sameName(role.name, match.displayName)),
  );
  const shown = all.slice(page.offset, page.offset + page.limit);
  const resources = [];
  for (const role of shown) resources.push(toScimGroup(role, wantsMembers(ctx.url) ? await membersOf(ctx.db, ctx, role) : null));
  return listResponse(resources, all.length, page.startIndex);
}

async function groupOr404(ctx: ScimContext, id: string) {
  const role = (await groups(ctx.db, ctx.principal.accountId)).find((choice) => choice.key === id);
  if (!role) throw new ScimProblem(404, `No group ${id} in this account.`);
  return role;
}

export async function getGroup(ctx: ScimContext, id: string) {
  const role = await groupOr404(ctx, id);
  return toScimGroup(role, wantsMembers(ctx.url) ? await membersOf(ctx.db, ctx, role) : null);
}

/**
 * POST /Groups: roles are made in the console (their permissions are a decision the IdP
 * cannot take), so a group links to the role of the same name. The IdPs look a group up by
 * displayName first and use the one found; a POST for a name that exists is 409.
 */
export async function createGroup(ctx: ScimContext, body: Record<string, unknown>) {
  const name = typeof body.displayName === "string" ? body.displayName.trim() : "";
  if (!name) throw new ScimProblem(400, "displayName is required.", "invalidValue");
  const existing = (await groups(ctx.db, ctx.principal.accountId)).find((role) => sameName(role.name, name));
  if (existing) throw new ScimProblem(409, `The role ${existing.name} exists: find it with filter=displayName eq "${existing.name}" and use its id.`, "uniqueness");
  throw new ScimProblem(400, `No role is named ${JSON.stringify(name)}: groups map to the account's roles. Create the role in Roster (Roles) first, or name the group after a role.`, "invalidValue");
}

/** Gives or takes one role through setMemberRoles, the console's own operation (A3 checks, last Admin, audit). */
async function changeMembership(tx: Tx, ctx: ScimContext, role: RoleChoice, userId: string, give: boolean) {
  if (!(await findScimUser(tx, ctx.principal.accountId, ctx.principal, staffPolicy(), userId))) throw new ScimProblem(404, `No user ${userId} in this account.`);
  const held = (await rolesOfMember(tx, userId)).filter((grant) => !grant.unit).map((grant) => grant.key);
  if (held.includes(role.key) === give) return;
  // A member always holds a role: losing the last group leaves the one a new member starts with.
  const next = give ? [...held, role.key] : held.filter((key) => key !== role.key);
  await asScim(() => setMemberRoles(tx, ctx.actor, { userId, roles: next.length ? next : [PROVISIONED_ROLE] }));
}

async function applyGroupState(ctx: ScimContext, role: RoleChoice, before: GroupState, after: GroupState) {
  await ctx.db.transaction(async (tx) => {
    // A predefined role's name in another case is the same name (IdPs match it so).
    const renamed = after.displayName !== before.displayName && (role.custom || !sameName(after.displayName, before.displayName));
    if (renamed) await renameGroup(tx, ctx.actor, role, after.displayName);
    for (const id of after.members.filter((id) => !before.members.includes(id))) await changeMembership(tx, ctx, role, id, true);
    for (const id of before.members.filter((id) => !after.members.includes(id))) await changeMembership(tx, ctx, role, id, false);
  });
}

/** A custom role takes the group's new name (updateCustomRole, as the Roles page); a predefined role's name is fixed. */
async function renameGroup(tx: Tx, actor: Actor, role: RoleChoice, name: string) {
  if (!role.custom) throw new ScimProblem(400, `${role.name} is a predefined role: its name cannot change. Rename the group back, or map it to a custom role.`, "mutability");
  await asScim(() => updateCustomRole(tx, actor, { roleId: role.key, name, description: role.description, permissions: role.permissions }), "uniqueness");
}

async function currentState(ctx: ScimContext, role: RoleChoice): Promise<GroupState> {
  return { displayName: role.name, members: (await membersOf(ctx.db, ctx, role)).map((member) => member.id) };
}

/** PATCH /Groups/{id}: 204, as both IdPs accept (no attributes were asked for). */
export async function patchGroup(ctx: ScimContext, id: string, body: Record<string, unknown>) {
  const operations = patchOperations(body);
  const role = await groupOr404(ctx, id);
  const before = await currentState(ctx, role);
  await applyGroupState(ctx, role, before, applyGroupPatch(before, operations));
}

/** PUT /Groups/{id}: the name and every member, replaced. */
export async function replaceGroup(ctx: ScimContext, id: string, body: Record<string, unknown>) {
  const role = await groupOr404(ctx, id);
  const before = await currentState(ctx, role);
  const name = typeof body.displayName === "string" && body.displayName.trim() ? body.displayName.trim() : role.name;
  await applyGroupState(ctx, role, before, { displayName: name, members: [...new Set(memberIdsOf(body.members ?? []))] });
  return getGroup(ctx, role.key);
}

/** DELETE /Groups/{id}: refused — a role, and who holds it, is not the IdP's to delete. */
export async function deleteGroup(ctx: ScimContext, id: string) {
  const role = await groupOr404(ctx, id);
  throw new ScimProblem(400, `${role.name} is a role of this account: roles are deleted in Roster, not by the identity provider. Remove its members instead.`, "mutability");
}
