import type { RoleRef } from "@/lib/auth/permissions";

/** A role as the API shows it; A4: `unit` when it is held on a unit (it covers the units below it too). */
export const roleJson = ({ key, name, custom, unit }: RoleRef) => ({ key, name, custom, unit: unit ? { id: unit.id, name: unit.name } : null });

/** A member as /api/v1/users lists them and /api/v1/users/{id} returns them. */
export function memberJson(row: { id: string; name: string; email: string; roles: RoleRef[]; kind: string; status: string; twoFactorEnabled: boolean; lastActiveAt: Date | null }) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    roles: row.roles.map(roleJson),
    kind: row.kind,
    status: row.status,
    twoFactor: row.twoFactorEnabled,
    lastActiveAt: row.lastActiveAt,
  };
}
