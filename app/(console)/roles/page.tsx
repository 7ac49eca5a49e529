import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listCustomRoles } from "@/db/queries/roles";
import { DeleteRoleButton, RoleEditor } from "@/components/roles/role-editor";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { Badge } from "@/components/ui/badge";
import { isPermission, PERMISSION_NAMES, PERMISSIONS, SYSTEM_ROLE_KEYS, SYSTEM_ROLES } from "@/lib/auth/permissions";
import { canGrant } from "@/lib/auth/principal";
import { config } from "@/lib/config";
import { requirePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Roles" };

function PermissionList({ permissions, label }: { permissions: readonly string[]; label: string }) {
  // B3: a group the identity provider created is a role with none until an administrator chooses them.
  if (!permissions.some(isPermission)) return <p className="mt-2 text-sm text-slate-600">No permissions yet: Edit to choose them.</p>;
  return (
    <ul aria-label={label} className="mt-2 flex flex-wrap gap-1">
      {permissions.filter(isPermission).map((permission) => (
        <li key={permission}>
          <Badge>{PERMISSIONS[permission].label}</Badge>
        </li>
      ))}
    </ul>
  );
}

/** A3: the predefined roles (fixed) and the account's own, which an Admin composes. */
export default async function RolesPage() {
  const user = await requirePermission("roles.manage");
  const custom = await listCustomRoles(await getDb(), user.accountId);
  // A3: a role is composed only of permissions its author holds.
  const grantable = PERMISSION_NAMES.filter((permission) => canGrant(user, { permissions: [permission] }));
  return (
    <section className="max-w-4xl space-y-6">
      <h1 className="text-2xl font-semibold">Roles</h1>
      <StepUpProvider>
        <section aria-labelledby="custom-roles" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="custom-roles" className="text-lg font-semibold">
              Your roles
            </h2>
            <RoleEditor grantable={grantable} />
          </div>
          {custom.length === 0 ? <p className="text-sm text-slate-600">No custom roles yet. Compose one from the permissions below.</p> : null}
          <ul className="space-y-3">
            {custom.map((role) => (
              <li key={role.id} aria-label={role.name} className="rounded-lg border border-slate-200 bg-white p-4">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div>
                    <h3 className="font-medium">{role.name}</h3>
                    <p className="text-sm text-slate-600">
                      {role.description || "No description."} {role.holders === 1 ? "Held by 1 person." : `Held by ${role.holders} people.`}
                    </p>
                  </div>
                  <div className="flex gap-2">
                    <RoleEditor role={{ id: role.id, name: role.name, description: role.description, permissions: role.permissions.filter(isPermission) }} grantable={grantable} />
                    <DeleteRoleButton role={role} />
                  </div>
                </div>
                <PermissionList permissions={role.permissions} label={`Permissions of ${role.name}`} />
              </li>
            ))}
          </ul>
        </section>
      </StepUpProvider>
      <section aria-labelledby="predefined-roles" className="space-y-3">
        <h2 id="predefined-roles" className="text-lg font-semibold">
          Predefined roles
        </h2>
        <p className="text-sm text-slate-600">Fixed in {config().appName}: they cannot be edited. Give several to one person and their permissions add up.</p>
        <ul className="space-y-3">
          {SYSTEM_ROLE_KEYS.map((key) => (
            <li key={key} aria-label={SYSTEM_ROLES[key].name} className="rounded-lg border border-slate-200 bg-white p-4">
              <h3 className="font-medium">{SYSTEM_ROLES[key].name}</h3>
              <p className="text-sm text-slate-600">{SYSTEM_ROLES[key].description}</p>
              <PermissionList permissions={SYSTEM_ROLES[key].permissions} label={`Permissions of ${SYSTEM_ROLES[key].name}`} />
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
