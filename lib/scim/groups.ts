import { listRoleHolders, findScimUser } from "@/db/queries/scim";
import { customRoleHolderIds, rolesOfMember } from "@/db/queries/roles";
import type { Executor, Tx } from "@/db/client";
import { config } from "@/lib/config";
import type { Actor } from "@/lib/actions/actor";
import { PERMISSIONS } from "@/lib/auth/permissions";
import { can } from "@/lib/auth/principal";
import { createCustomRole, deleteCustomRole, updateCustomRole } from "@/lib/team/custom-roles";
import { roleChoices, setMemberRoles, WORKSTATION_ROLE, type RoleChoice } from "@/lib/team/roles";
import { nameField } from "@/lib/team/schemas";
import { ActionRefusal } from "@/lib/actions/refusal";
import { asScim, problemFromRefusal, ScimProblem } from "./errors";
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
 * Making and deleting roles is the Roles page's permission: a token has it when its maker
 * held it for the whole account when the token was made (see tokens.ts).
 */
function assertRolesManage(ctx: ScimContext, what: string) {
  if (!can(ctx.principal, "roles.manage")) {
    throw new ScimProblem(403, `This SCIM token cannot ${what}: it was made by someone without "${PERMISSIONS["roles.manage"].label}". Make a new token as someone who holds it (an Admin), or create the role in Roster (Roles) and name the group after it.`);
  }
}

/**
 * POST /Groups: a new name is a new custom role with no permissions (createCustomRole, as
 * the Roles page; an administrator then gives it permissions there), with the members sent.
 * The IdPs look a group up by displayName first; a POST for a name that exists is 409.
 */
export async function createGroup(ctx: ScimContext, body: Record<string, unknown>) {
  const parsed = nameField.safeParse(typeof body.displayName === "string" ? body.displayName : "");
  if (!parsed.success) throw new ScimProblem(400, parsed.error.issues[0]?.message ?? "displayName is invalid.", "invalidValue");
  const name = parsed.data;
  if (!name) throw new ScimProblem(400, "displayName is required.", "invalidValue");
  const existing = (await groups(ctx.db, ctx.principal.accountId)).find((role) => sameName(role.name, name));
  if (existing) throw new ScimProblem(409, `The role ${existing.name} exists: find it with filter=displayName eq "${existing.name}" and use its id.`, "uniqueness");
  assertRolesManage(ctx, `create the role ${JSON.stringify(name)}`);
  const members = [...new Set(memberIdsOf(body.members ?? []))];
  const description = `Created by the identity provider (SCIM token ${ctx.principal.via.tokenName}). It gives no permissions until an administrator chooses them.`;
  const roleId = await ctx.db.transaction(async (tx) => {
    const created = await asScim(() => createCustomRole(tx, ctx.actor, { name, description, permissions: [] }, { withoutPermissions: true }), "uniqueness");
    const role: RoleChoice = { key: created.id, name, description, custom: true, permissions: [] };
    for (const id of members) await changeMembership(tx, ctx, role, id, true);
    return created.id;
  });
  return getGroup(ctx, roleId);
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

/**
 * Takes a custom role from someone about to lose it with the role itself, through
 * setMemberRoles (its checks and audit): their other roles stay, someone left with none for
 * the whole account keeps Member, and its grants on units go too.
 */
async function takeRoleAway(tx: Tx, ctx: ScimContext, role: RoleChoice, userId: string) {
  const held = await rolesOfMember(tx, userId);
  if (!held.some((grant) => grant.key === role.key)) return;
  const wholeAccount = held.filter((grant) => !grant.unit && grant.key !== role.key).map((grant) => grant.key);
  const otherUnitRoles = held.flatMap((grant) => (grant.unit && grant.key !== role.key ? [{ role: grant.key, unitId: grant.unit.id }] : []));
  const onUnits = held.some((grant) => grant.unit && grant.key === role.key) ? { unitRoles: otherUnitRoles } : {};
  try {
    await setMemberRoles(tx, ctx.actor, { userId, roles: wholeAccount.length ? wholeAccount : [PROVISIONED_ROLE], ...onUnits });
  } catch (error) {
    // Someone out of the token's sight (vendor staff, T6) is not a missing group.
    if (error instanceof ActionRefusal && error.code === "not_found") {
      throw new ScimProblem(409, `${role.name} is held by someone this token cannot change: take it from them in Roster (Team), then delete the group again.`);
    }
    throw error instanceof ActionRefusal ? problemFromRefusal(error) : error;
  }
}

/**
 * DELETE /Groups/{id}: a custom role is deleted through deleteCustomRole, as on the Roles
 * page — which refuses a role still held, so it is first taken from its holders (above),
 * all in one transaction: either the role is gone and nobody holds it, or nothing changed.
 * A predefined role is not the IdP's to delete.
 */
export async function deleteGroup(ctx: ScimContext, id: string) {
  const role = await groupOr404(ctx, id);
  if (!role.custom) {
    throw new ScimProblem(400, `${role.name} is a predefined role: it cannot be deleted. Unassign the group in the identity provider, or remove its members instead.`, "mutability");
  }
  assertRolesManage(ctx, `delete the role ${JSON.stringify(role.name)}`);
  await ctx.db.transaction(async (tx) => {
    for (const userId of await customRoleHolderIds(tx, ctx.principal.accountId, role.key)) await takeRoleAway(tx, ctx, role, userId);
    await asScim(() => deleteCustomRole(tx, ctx.actor, { roleId: role.key }));
  });
}
