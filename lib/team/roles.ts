import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { countOtherActiveAdmins } from "@/db/queries/members";
import { listCustomRoles, writeRoleGrants } from "@/db/queries/roles";
import { accounts } from "@/db/schema";
import { refuse } from "@/lib/actions/refusal";
import { grantLabel, holdsAdminRole, isPermission, type GrantUnit, type Permission, type RoleRef, SYSTEM_ROLE_KEYS, SYSTEM_ROLES, unitScopedPermissionsOf } from "@/lib/auth/permissions";
import { recordAuditBy } from "@/lib/audit";
import { actingUserId, canGrant, reachOf, refusalFor, type Principal } from "@/lib/auth/principal";
import { findUnit } from "@/db/queries/units";
import { NO_SUCH_UNIT } from "@/lib/org-units/units";
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

/** A4: a role given on a unit, as a form sends it. */
export type UnitGrantInput = { role: string; unitId: string };

const sameGrant = (a: { key: string; unit?: { id: string } | null }, b: { key: string; unit?: { id: string } | null }) => a.key === b.key && (a.unit?.id ?? null) === (b.unit?.id ?? null);

/**
 * A4: the roles to hold on units, each new one on a unit of the account that the principal
 * gives roles on. One the member holds already stays as it is, whoever sends it back.
 */
async function chosenUnitGrants(db: Executor, principal: Principal, choices: readonly RoleChoice[], grants: readonly UnitGrantInput[], held: readonly (RoleRef & { permissions: readonly string[] })[]) {
  const planned: ((RoleRef & { permissions: readonly string[] }) & { unit: GrantUnit })[] = [];
  for (const grant of grants) {
    const kept = held.find((role) => role.key === grant.role && role.unit?.id === grant.unitId);
    if (kept?.unit) {
      if (!planned.some((other) => sameGrant(other, kept))) planned.push({ ...kept, unit: kept.unit });
      continue;
    }
    const role = choices.find((choice) => choice.key === grant.role);
    if (!role) refuse("Choose roles from the list.", "invalid");
    if (role.key === WORKSTATION_ROLE) refuse(WORKSTATION_ROLE_FOR_PEOPLE, "invalid");
    if (unitScopedPermissionsOf(role).length === 0) refuse(`${role.name} gives nothing on a unit (its permissions are not about a unit's members): give it for the whole account instead.`, "invalid");
    const unit = await findUnit(db, principal.accountId, grant.unitId);
    if (!unit) refuse(NO_SUCH_UNIT, "not_found");
    const refusal = refusalFor(principal, "roles.assign", { accountId: unit.accountId, units: unit.line });
    if (refusal) refuse(refusal.code === "not_found" ? NO_SUCH_UNIT : "You can give roles only on the units you administer.", refusal.code);
    const next = { ...role, unit: { id: unit.id, name: unit.name, line: unit.line } };
    if (!planned.some((held) => sameGrant(held, next))) planned.push(next);
  }
  return planned;
}

/**
 * What a role change would do, or a refusal: roles with permissions the actor lacks (given
 * or taken), anything but the workstation role for a workstation, and leaving the account
 * without an active Admin. Run before the code is sent, and again under the lock.
 *
 * `roles` are the member's roles for the whole account, exactly; `unitRoles`, when given,
 * exactly their roles on units (A4) — absent, those stay as they are. A role for the whole
 * account is given or taken only by someone holding all of it for the whole account; one
 * on a unit by someone who gives roles there and holds what it confers there.
 */
export async function planRoleChange(
  db: Executor,
  principal: Principal,
  input: { userId: string; roles: readonly string[]; unitRoles?: readonly UnitGrantInput[]; expiresAt?: string | null },
  lock = false,
) {
  const member = await visibleMemberOrRefuse(db, principal, input.userId, "roles.assign", lock);
  const before = await assertOutranks(db, principal, member, "change the roles of");
  if (member.kind === "workstation") {
    if (input.roles.length !== 1 || input.roles[0] !== WORKSTATION_ROLE || (input.unitRoles?.length ?? 0) > 0) refuse(WORKSTATION_ONLY);
  }
  const wholeAccount = (await chosenRoles(db, principal.accountId, input.roles)).map((role) => ({ ...role, unit: null }));
  if (member.kind !== "workstation" && wholeAccount.some((role) => role.key === WORKSTATION_ROLE)) refuse(WORKSTATION_ROLE_FOR_PEOPLE, "invalid");
  const onUnits = input.unitRoles ? await chosenUnitGrants(db, principal, await roleChoices(db, principal.accountId), input.unitRoles, before) : before.filter((held) => held.unit);
  const after: (RoleRef & { permissions: readonly string[] })[] = [...wholeAccount, ...onUnits];
  const add = after.filter((role) => !before.some((held) => sameGrant(held, role)));
  const dropped = before.filter((held) => !after.some((role) => sameGrant(held, role)));
  // A7: a rule's grant goes only when the rule stops matching, never by hand.
  const byRule = dropped.find((held) => held.rule);
  if (byRule?.rule) {
    refuse(`${grantLabel(byRule)} is given by rule “${byRule.rule.name}”: it cannot be removed by hand. Change the rule or ${member.name || member.email}'s properties instead.`);
  }
  const remove = dropped;
  const beyond = [...add, ...remove].find((role) => !canGrant(principal, role, role.unit ? { accountId: principal.accountId, units: role.unit.line } : undefined));
  if (beyond) {
    refuse(
      beyond.unit
        ? `You cannot give or take the ${beyond.name} role on ${beyond.unit.name}: it confers permissions you do not hold there.`
        : `You cannot give or take the ${beyond.name} role: it has permissions you do not hold${reachOf(principal, "roles.assign").wholeAccount ? "" : " for the whole account (give it on one of your units instead)"}.`,
      "forbidden",
    );
  }
  if (holdsAdminRole(remove) && member.status === "active" && (await countOtherActiveAdmins(db, principal.accountId, member.id)) === 0) {
    refuse(LAST_ADMIN);
  }
  if (input.expiresAt && add.length > 0) futureExpiry(input.expiresAt);
  return { member, before, after, add, remove };
}

/**
 * A3: sets a member's roles to exactly `roles` (and, A4, `unitRoles`), effective on their
 * next request — decided under the account's row lock, so two admins acting at once cannot
 * both remove the last Admin. A5: roles given by this change end at `expiresAt` when one is
 * given (ISO 8601).
 */
export async function setMemberRoles(
  tx: Executor,
  { principal, request }: Actor,
  input: { userId: string; roles: readonly string[]; unitRoles?: readonly UnitGrantInput[]; expiresAt?: string | null },
) {
  await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, principal.accountId)).for("no key update");
  const { member, before, after, add, remove } = await planRoleChange(tx, principal, input, true);
  const names = (roles: readonly RoleRef[]) => roles.map(grantLabel);
  const changed = add.length + remove.length > 0;
  const expiresAt = input.expiresAt && add.length > 0 ? futureExpiry(input.expiresAt) : null;
  if (changed) {
    await writeRoleGrants(tx, member, { add, remove, grantedBy: actingUserId(principal), expiresAt });
    await recordAuditBy(tx, { principal, request }, {
      action: "member.roles_changed",
      target: { type: "user", id: member.id },
      details: { email: member.email, before: names(before), after: names(after), ...(expiresAt ? { addedExpireAt: expiresAt.toISOString() } : {}) },
    });
  }
  return { id: member.id, email: member.email, changed, before: names(before), after: names(after) };
}
