import { unitScopedPermissionsOf, type Permission } from "@/lib/auth/permissions";
import { can, canGrant, type Principal } from "@/lib/auth/principal";
import { WORKSTATION_ROLE } from "@/lib/team/roles";
import { lineOf, pathName, type TreeUnit } from "./tree";

/** A unit as a picker offers it: named with the units above it. */
export type UnitChoice = { id: string; name: string; path: string };

/**
 * A4: the units where this principal holds `permission` — all of them with it for the
 * whole account, their own and those below with it on units — in the tree's reading
 * order. What pickers and the Units page offer; the server asks can() again.
 */
export function unitsWhere<U extends TreeUnit>(principal: Principal, permission: Permission, units: readonly U[]): (U & { line: string[] })[] {
  return units
    .map((unit) => ({ ...unit, line: lineOf(units, unit.id) }))
    .filter((unit) => can(principal, permission, { accountId: principal.accountId, units: unit.line }));
}

/** The same as choices for a select, by path ("Acme / EMEA / Germany"), sorted by it. */
export function unitChoices(principal: Principal, permission: Permission, units: readonly TreeUnit[]): UnitChoice[] {
  return unitsWhere(principal, permission, units)
    .map((unit) => ({ id: unit.id, name: unit.name, path: pathName(units, unit.id) }))
    .sort((a, b) => a.path.localeCompare(b.path, "en", { sensitivity: "base" }));
}

/**
 * A4: the roles a form offers to give on units — those with something to give there — and
 * the units the principal gives roles on; a role the principal could give on none of them
 * is shown locked. The server asks canGrant() for the unit actually chosen.
 */
export function unitGrantChoices(
  principal: Principal,
  roles: readonly { key: string; name: string; description: string; permissions: readonly string[] }[],
  units: readonly TreeUnit[],
) {
  const places = unitsWhere(principal, "roles.assign", units);
  const offered = roles.filter((role) => role.key !== WORKSTATION_ROLE && unitScopedPermissionsOf(role).length > 0);
  return {
    roles: offered.map((role) => ({
      key: role.key,
      name: role.name,
      description: role.description,
      locked: !places.some((unit) => canGrant(principal, role, { accountId: principal.accountId, units: unit.line })),
    })),
    units: unitChoices(principal, "roles.assign", units),
  };
}
