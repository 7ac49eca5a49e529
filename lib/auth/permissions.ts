/**
 * A3: the one catalogue of what a principal may do, and the predefined roles as named sets
 * of it. Adding a permission is a row here; adding a system role is an entry in
 * SYSTEM_ROLES (and, for existing members, a migration that grants it).
 *
 * Pure data and pure functions: client components import the labels too. The question
 * itself, `can(principal, permission, scope)`, is in ./principal.ts.
 */
// `unitScoped`: the permission has a meaning on an organisation unit (A4). A role given on
// a unit confers only these, over the members of that unit and the units below it; its
// other permissions (the work, the personal, the account's policy) come only with a grant
// for the whole account.
export const PERMISSIONS = {
  // Administration: the User Management surface. In an SSO-only account the identity
  // provider owns membership (T7), so these are withheld there whatever the role says.
  "members.read": { group: "Administration", label: "See the team", description: "The team table, member pages, and /api/v1/users.", idpOwned: true, unitScoped: true },
  "members.invite": { group: "Administration", label: "Invite people", description: "Invite, re-send and revoke invitations.", idpOwned: true, unitScoped: true },
  "members.manage": { group: "Administration", label: "Manage members", description: "Disable and enable members, send password resets, remove a lost 2FA device.", idpOwned: true, unitScoped: true },
  "roles.assign": { group: "Administration", label: "Change members' roles", description: "Give and take roles — never one with a permission the actor does not hold.", idpOwned: true, unitScoped: true },
  "roles.manage": { group: "Administration", label: "Define custom roles", description: "Create, edit and delete the account's own roles.", idpOwned: false, unitScoped: false },
  "units.manage": { group: "Administration", label: "Manage organisation units", description: "Create, rename, move and delete units; given on a unit, only the units below it.", idpOwned: false, unitScoped: true },
  "properties.manage": { group: "Administration", label: "Manage properties and access rules", description: "Define people's properties and the access rules that give roles by them; import values by CSV.", idpOwned: false, unitScoped: false },
  "apps.manage": { group: "Administration", label: "Manage application access", description: "Subscribe members to applications and give app roles.", idpOwned: false, unitScoped: true },
  "sessions.manage": { group: "Administration", label: "End members' sessions", description: "See a member's signed-in sessions and end them all.", idpOwned: false, unitScoped: true },
  "security.manage": { group: "Administration", label: "Manage security policy", description: "Enforce two-factor authentication.", idpOwned: true, unitScoped: false },
  "teams.manage": { group: "Administration", label: "Manage teams", description: "Create, edit, archive and delete teams, their members, leads and quotas.", idpOwned: false, unitScoped: false },
  "members.delete": { group: "Administration", label: "Delete, anonymise and hand over members' content", description: "Delete members who own nothing, transfer ownership of their resources, anonymise them (GDPR).", idpOwned: false, unitScoped: false },
  // Not idpOwned: in an SSO-only account this is how the identity provider gets its membership in (B3).
  "provisioning.manage": { group: "Administration", label: "Manage provisioning (SCIM)", description: "Create and revoke the SCIM tokens an identity provider creates, updates and disables members with.", idpOwned: false, unitScoped: false },
  // Not idpOwned: an SSO-only account's administrator must be able to mend its IdP (B5).
  "connections.manage": { group: "Administration", label: "Manage connections", description: "The identity provider, verified domains and Slack.", idpOwned: false, unitScoped: false },
  "audit.read": { group: "Administration", label: "Read the audit log", description: "Who did what, and when.", idpOwned: false, unitScoped: false },
  "audit.export": { group: "Administration", label: "Export the audit log", description: "Download the audit log as CSV or JSON Lines.", idpOwned: false, unitScoped: false },
  "activity.read": { group: "Administration", label: "See sign-in activity", description: "Members' sign-in attempts: the Activity page, its CSV export, and the member page.", idpOwned: false, unitScoped: true },
  "security.overview": { group: "Administration", label: "See the security overview", description: "Charts of 2FA adoption, sign-ins, dormant members and open invitations.", idpOwned: false, unitScoped: false },
  "reviews.manage": { group: "Administration", label: "Run access reviews", description: "Start and decide access reviews.", idpOwned: false, unitScoped: false },
  // Work: what the platform on top of Roster lets people do; it asks through /api/v1/authorize.
  "content.view": { group: "Work", label: "View content", description: "Open apps, projects, dashboards and data.", idpOwned: false, unitScoped: false },
  "content.comment": { group: "Work", label: "Comment", description: "Comment on content.", idpOwned: false, unitScoped: false },
  "content.download": { group: "Work", label: "Download", description: "Download content and exports.", idpOwned: false, unitScoped: false },
  "content.create": { group: "Work", label: "Create content", description: "Create and edit their own content.", idpOwned: false, unitScoped: false },
  "content.edit_all": { group: "Work", label: "Edit all content", description: "Edit content that others own.", idpOwned: false, unitScoped: false },
  "workflows.create": { group: "Work", label: "Create workflows", description: "Build workflows.", idpOwned: false, unitScoped: false },
  "workflows.run": { group: "Work", label: "Run workflows", description: "Start workflows.", idpOwned: false, unitScoped: false },
  "workflows.own": { group: "Work", label: "Be responsible for workflows", description: "Be named the person responsible for a workflow.", idpOwned: false, unitScoped: false },
  "apps.deploy": { group: "Work", label: "Deploy apps", description: "Deploy and update apps.", idpOwned: false, unitScoped: false },
  "resources.manage": { group: "Work", label: "Manage resources", description: "Manage compute resources and data sources.", idpOwned: false, unitScoped: false },
  "data.analyse": { group: "Work", label: "Analyse data", description: "Run notebooks and queries on data sources.", idpOwned: false, unitScoped: false },
  "tasks.assignable": { group: "Work", label: "Be assigned tasks", description: "Receive work and tasks.", idpOwned: false, unitScoped: false },
  "tasks.sign": { group: "Work", label: "Sign", description: "Sign documents and approvals.", idpOwned: false, unitScoped: false },
  // Personal: what a person does for themselves.
  "notifications.receive": { group: "Personal", label: "Receive notifications", description: "Email notifications about work (security notices always go to a person).", idpOwned: false, unitScoped: false },
  "api_keys.create": { group: "Personal", label: "Use the API", description: "Create personal API keys.", idpOwned: false, unitScoped: false },
} as const satisfies Record<string, { group: "Administration" | "Work" | "Personal"; label: string; description: string; idpOwned: boolean; unitScoped: boolean }>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as [Permission, ...Permission[]];
export const isPermission = (value: string): value is Permission => Object.hasOwn(PERMISSIONS, value);

const WORK: Permission[] = ["content.view", "content.comment", "content.download", "content.create", "workflows.run", "tasks.assignable", "tasks.sign", "notifications.receive", "api_keys.create"];

/**
 * The predefined roles (A3), fixed in code: their permissions cannot be edited in the
 * console. Keys are stored in role_grants.role_key; never rename one without a migration.
 */
export const SYSTEM_ROLES = {
  admin: {
    name: "Admin",
    description: "Everything: members, roles, security policy, connections, audit and exports.",
    permissions: PERMISSION_NAMES,
  },
  restricted_admin: {
    name: "Restricted administrator",
    description: "Manages members, invitations, app access and members' sessions; not security policy, connections or anyone's Admin role.",
    permissions: [...WORK, "members.read", "members.invite", "members.manage", "roles.assign", "apps.manage", "sessions.manage"],
  },
  manager: {
    name: "Manager",
    description: "Creates and edits all content, runs workflows and is responsible for them; no administration.",
    permissions: [...WORK, "content.edit_all", "workflows.create", "workflows.own"],
  },
  developer: {
    name: "Developer",
    description: "Deploys apps, creates workflows, manages resources and data sources.",
    permissions: [...WORK, "apps.deploy", "workflows.create", "resources.manage"],
  },
  data_scientist: {
    name: "Data scientist",
    description: "Analyses data, builds workflows on it.",
    permissions: [...WORK, "data.analyse", "workflows.create"],
  },
  member: {
    name: "Member",
    description: "Uses the platform: creates content, runs workflows, is assigned tasks.",
    permissions: WORK,
  },
  viewer: {
    name: "Viewer",
    description: "Read-only; may be assigned tasks and sign.",
    permissions: ["content.view", "content.comment", "content.download", "tasks.assignable", "tasks.sign", "notifications.receive"],
  },
  shared_workstation: {
    name: "Shared workstation",
    description: "A place, not a person: views, comments and downloads; never assigned work, never notified.",
    permissions: ["content.view", "content.comment", "content.download"],
  },
} as const satisfies Record<string, { name: string; description: string; permissions: readonly Permission[] }>;

export type SystemRoleKey = keyof typeof SYSTEM_ROLES;
export const SYSTEM_ROLE_KEYS = Object.keys(SYSTEM_ROLES) as [SystemRoleKey, ...SystemRoleKey[]];
export const isSystemRoleKey = (value: string): value is SystemRoleKey => Object.hasOwn(SYSTEM_ROLES, value);

/** The union of the permissions of a set of roles (A3: several roles add up). */
export function permissionsOf(roles: readonly { permissions: readonly string[] }[]): Set<Permission> {
  const held = new Set<Permission>();
  for (const role of roles) for (const permission of role.permissions) if (isPermission(permission)) held.add(permission);
  return held;
}

export const isUnitScoped = (permission: Permission) => PERMISSIONS[permission].unitScoped;
/** A4: what a role confers when given on a unit (nothing else of it applies there). */
export const unitScopedPermissionsOf = (role: { permissions: readonly string[] }) => role.permissions.filter((p): p is Permission => isPermission(p) && isUnitScoped(p));

/**
 * A4: the unit a grant is on — its name for people, and `line`: its ID with those of every
 * unit above it (what can(…, { units }) matches grants against).
 */
export type GrantUnit = { id: string; name: string; line: string[] };

/**
 * A role as people see it: a predefined one by key ("admin"), a custom one by ID; `unit`
 * when it was given on a unit (A4) rather than for the whole account.
 */
export type RoleRef = { key: string; name: string; custom: boolean; unit?: GrantUnit | null; rule?: GrantRule | null };

/** A7: the access rule a grant was made by (not removable by hand; gone when the rule stops matching). */
export type GrantRule = { id: string; name: string };

/** A role as stored (db/queries/principals.ts heldRoles): a custom one brings its name and permissions. */
export type HeldRole = { key: string; custom: boolean; name: string | null; permissions: string[] | null; unit?: GrantUnit | null; rule?: GrantRule | null };

/**
 * The roles a member holds, with their permissions: a predefined role's come from code, a
 * custom role's from its row. A key no longer in the code grants nothing.
 */
export function resolveRoles(held: readonly HeldRole[]): (RoleRef & { permissions: readonly string[] })[] {
  return held.flatMap((role): (RoleRef & { permissions: readonly string[] })[] => {
    const unit = role.unit ?? null;
    const rule = role.rule ?? null;
    if (role.custom) return [{ key: role.key, name: role.name ?? "", custom: true, unit, rule, permissions: role.permissions ?? [] }];
    if (!isSystemRoleKey(role.key)) return [];
    const system = SYSTEM_ROLES[role.key];
    return [{ key: role.key, name: system.name, custom: false, unit, rule, permissions: system.permissions }];
  });
}

/** A grant's name as people read it: "Restricted administrator (EMEA)" on a unit, the role's name otherwise. */
export const grantLabel = (role: { name: string; unit?: { name: string } | null }) => (role.unit ? `${role.name} (${role.unit.name})` : role.name);


/** The role an account always keeps one active holder of (A2, A3). */
export const ADMIN_ROLE: SystemRoleKey = "admin";
/** Whether these grants include the Admin role for the whole account (Admin on a unit administers only that unit). */
export const holdsAdminRole = (roles: readonly { key: string; unit?: unknown }[]) => roles.some((role) => role.key === ADMIN_ROLE && !role.unit);
