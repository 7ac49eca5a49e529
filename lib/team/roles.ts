import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { countOtherActiveAdmins } from "@/db/queries/members";
import { listCustomRoles, writeRoleGrants } from "@/db/queries/roles";
import { accounts } from "@/db/schema";
import { refuse } from "@/lib/actions/refusal";
import { holdsAdminRole, isPermission, type Permission, type RoleRef, SYSTEM_ROLE_KEYS, SYSTEM_ROLES } from "@/lib/auth/permissions";
import { recordAuditBy } from "@/lib/audit";
import { canGrant, type Principal } from "@/lib/auth/principal";
import type { Actor } from "@/lib/actions/actor";
import { futureExpiry } from "@/lib/expiry/validate";
import { assertOutranks, LAST_ADMIN, visibleMemberOrRefuse } from "./members";

/** A role someone may be given: predefined or the account's own, with its permissions. */
export type RoleChoice = RoleRef & { description: string; permissions: readonly Permission[] };

export const WORKSTATION_ROLE = "shared_workstation";
export const WORKSTATION_ONLY =
  "A shared workstation cannot become a personal account or hold another role. Create a personal account for the person instead, and disable this workstation if it is no longer used.";
const WORKSTATION_ROLE_FOR_PEOPLE = "The Shared workstation role is for workstation accounts: use Add workstation to create one.";


/** Every role of the account, predefined first (A3). */
export async function roleChoices(db: Executor, accountId: string): Promise<RoleChoice[]> {
  const system = SYSTEM_ROLE_KEYS.map((key) => ({ key, name: SYSTEM_ROLES[key].name, description: SYSTEM_ROLES[key].description, custom: false, permissions: SYSTEM_ROLES[key].permissions }));
  const custom = (await listCustomRoles(db, accountId)).map((role) => ({
    key: role.id,
    name: role.name,
    description: role.description,
    custom: true,
    permissions: role.permissions.filter(isPermission),
  }));
  return [...system, ...custom];
}

/** The chosen roles, each one of the account's; anything else is refused as input. */
export async function chosenRoles(db: Executor, accountId: string, refs: readonly string[]): Promise<RoleChoice[]> {
  const choices = await roleChoices(db, accountId);
  const chosen = [...new Set(refs)].map((ref) => choices.find((choice) => choice.key === ref));
  if (chosen.some((choice) => !choice)) refuse("Choose roles from the list.", "invalid");
  if (chosen.length === 0) refuse("Give at least one role.", "invalid");
  return chosen as RoleChoice[];
}

/**
 * The roles a form offers (A3): every role but the workstation's (made by Add workstation),
 * those the principal may not give or take shown locked.
 */
export function roleOptionsFor(principal: Principal, choices: readonly RoleChoice[]) {
  return choices.filter((role) => role.key !== WORKSTATION_ROLE).map((role) => ({ key: role.key, name: role.name, description: role.description, locked: !canGrant(principal, role) }));
}

/** Checks roles for a new person (an invitation): theirs to give, and none for workstations. */
export function assertGrantable(principal: Principal, roles: readonly RoleChoice[]) {
  if (roles.some((role) => role.key === WORKSTATION_ROLE)) refuse(WORKSTATION_ROLE_FOR_PEOPLE, "invalid");
  const beyond = roles.find((role) => !canGrant(principal, role));
  if (beyond) refuse(`You cannot give the ${beyond.name} role: it has permissions you do not hold.`, "forbidden");
}

/**
 * What a role change would do, or a refusal: roles with permissions the actor lacks (given
 * or taken), anything but the workstation role for a workstation, and leaving the account
 * without an active Admin. Run before the code is sent, and again under the lock.
 */
export async function planRoleChange(db: Executor, principal: Principal, input: { userId: string; roles: readonly string[]; expiresAt?: string | null }, lock = false) {
  const member = await visibleMemberOrRefuse(db, principal, input.userId, lock);
  const before = await assertOutranks(db, principal, member, "change the roles of");
  if (member.kind === "workstation") {
    if (input.roles.length !== 1 || input.roles[0] !== WORKSTATION_ROLE) refuse(WORKSTATION_ONLY);
  }
  const after = await chosenRoles(db, principal.accountId, input.roles);
  if (member.kind !== "workstation" && after.some((role) => role.key === WORKSTATION_ROLE)) refuse(WORKSTATION_ROLE_FOR_PEOPLE, "invalid");
  const add = after.filter((role) => !before.some((held) => held.key === role.key));
  const remove = before.filter((held) => !after.some((role) => role.key === held.key));
  const beyond = [...add, ...remove].find((role) => !canGrant(principal, role));
  if (beyond) refuse(`You cannot give or take the ${beyond.name} role: it has permissions you do not hold.`, "forbidden");
  if (holdsAdminRole(remove) && member.status === "active" && (await countOtherActiveAdmins(db, principal.accountId, member.id)) === 0) {
    refuse(LAST_ADMIN);
  }
  if (input.expiresAt && add.length > 0) futureExpiry(input.expiresAt);
  return { member, before, after, add, remove };
}

/**
 * A3: sets a member's roles to exactly `roles`, effective on their next request — decided
 * under the account's row lock, so two admins acting at once cannot both remove the last Admin.
 * A5: roles given by this change end at `expiresAt` when one is given (ISO 8601).
 */
export async function setMemberRoles(tx: Executor, { principal, request }: Actor, input: { userId: string; roles: readonly string[]; expiresAt?: string | null }) {
  await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, principal.accountId)).for("update");
  const { member, before, after, add, remove } = await planRoleChange(tx, principal, input, true);
  const names = (roles: readonly RoleRef[]) => roles.map((role) => role.name);
  const changed = add.length + remove.length > 0;
  const expiresAt = input.expiresAt && add.length > 0 ? futureExpiry(input.expiresAt) : null;
  if (changed) {
    await writeRoleGrants(tx, member, { add, remove, grantedBy: principal.id, expiresAt });
    await recordAuditBy(tx, { principal, request }, {
      action: "member.roles_changed",
      target: { type: "user", id: member.id },
      details: { email: member.email, before: names(before), after: names(after), ...(expiresAt ? { addedExpireAt: expiresAt.toISOString() } : {}) },
    });
  }
  return { id: member.id, email: member.email, changed, before: names(before), after: names(after) };
}
