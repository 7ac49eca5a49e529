import { config } from "@/lib/config";
import type { ApiScope } from "@/lib/api/scopes";
import type { RefusalCode } from "@/lib/actions/refusal";
import { isPermission, PERMISSIONS, permissionsOf, resolveRoles, unitScopedPermissionsOf, type HeldRole, type Permission, type RoleRef } from "./permissions";

export type { RoleRef } from "./permissions";
import { twoFactorGate, type TwoFactorGate, type TwoFactorPolicy } from "./two-factor-policy";


/** How the principal came in: a console session, or an API key with its scopes (P6). */
export type Via =
  | { kind: "session"; sessionId: string }
  | { kind: "api_key"; keyId: string; keyPrefix: string; scopes: ApiScope[] }
  /** Loaded to be asked about (POST /api/v1/authorize), not acting. */
  | { kind: "lookup" }
  /** B3: an identity provider's SCIM token — no person: `id` is the token's, never a user's. */
  | { kind: "scim_token"; tokenId: string; tokenPrefix: string; tokenName: string };

/**
 * Who is asking (STYLE: one Principal): the person, their account, their roles and the
 * permissions those add up to, how they came in, and the policies that gate them. Loaded
 * by one query (db/queries/principals.ts) for sessions and API keys alike.
 */
export type Principal = {
  id: string;
  accountId: string;
  email: string;
  name: string;
  status: "invited" | "active" | "disabled";
  /** A3: a person, or a shared workstation bound to a place. */
  kind: "person" | "workstation";
  roles: RoleRef[];
  /** Held for the whole account. */
  permissions: ReadonlySet<Permission>;
  /**
   * A4: permissions held only on organisation units — each with the units it was given on;
   * it covers them and every unit below. Only unit-scoped permissions appear here, and none
   * that is also held for the whole account. Ask can() with a scope; never read this directly.
   */
  unitPermissions: ReadonlyMap<Permission, ReadonlySet<string>>;
  /** T6: vendor staff, who alone see other staff. */
  isStaff: boolean;
  via: Via;
  avatarVersion: number | null;
  /** T7: the identity provider owns this person's name, email and password. */
  ssoManaged: boolean;
  /** T7: the account's membership comes from its IdP. */
  accountSsoOnly: boolean;
  /** Has a password of ours to prove it is them with; SSO members confirm with an emailed code instead. */
  signsInWithPassword: boolean;
  /** P3, B1: an authenticator app or at least one passkey — either is the second factor. */
  twoFactorEnabled: boolean;
  totpEnabled: boolean;
  hasPasskeys: boolean;
  /** P4: whether enforcement asks this user to set 2FA up (and by when). */
  twoFactorGate: TwoFactorGate;
  /** A5: when the membership ends (null: never), and whether it has (only a looked-up member can be). */
  accessExpiresAt: Date | null;
  accessExpired: boolean;
  /** A6: the teams (not archived) they are a member of, and those they lead. Ask can() with a resource; never read these directly. */
  teams: ReadonlySet<string>;
  leads: ReadonlySet<string>;
};

/** The columns both principal queries return. */
export type PrincipalRow = {
  user: { id: string; accountId: string; email: string; name: string; status: "invited" | "active" | "disabled"; kind: "person" | "workstation" };
  roles: HeldRole[];
  totpEnabled: boolean;
  hasPasskeys: boolean;
  ssoManaged: boolean;
  hasPassword: boolean;
  avatarUpdatedAt: Date | null;
  accountSsoOnly: boolean;
  policy: TwoFactorPolicy;
  accessExpiresAt: Date | null;
  accessExpired: boolean;
  /** A6: their live teams (absent: none), and whether they lead each. */
  teams?: readonly { id: string; lead: boolean }[];
};

/**
 * The user behind a principal, for columns that name one (audit actor, granted by,
 * invited by); null for a SCIM token, which is recorded by its prefix instead.
 */
export const actingUserId = (principal: { id: string; via?: { kind: string } }): string | null => (principal.via?.kind === "scim_token" ? null : principal.id);

export const isStaffAddress = (email: string, domain = config().staffEmailDomain) =>
  Boolean(domain) && email.toLowerCase().endsWith(`@${domain!.toLowerCase()}`);

export function toPrincipal(row: PrincipalRow, via: Via): Principal {
  const resolved = resolveRoles(row.roles);
  const roles = resolved.map(({ key, name, custom, unit }) => ({ key, name, custom, unit }));
  const permissions = permissionsOf(resolved.filter((role) => !role.unit));
  const unitPermissions = new Map<Permission, Set<string>>();
  for (const role of resolved) {
    if (!role.unit) continue;
    for (const permission of unitScopedPermissionsOf(role)) {
      if (permissions.has(permission)) continue;
      const units = unitPermissions.get(permission) ?? new Set<string>();
      units.add(role.unit.id);
      unitPermissions.set(permission, units);
    }
  }
  const { id, accountId, email, name, status, kind } = row.user;
  return {
    id,
    accountId,
    email,
    name,
    status,
    kind,
    roles,
    permissions,
    unitPermissions,
    isStaff: isStaffAddress(email),
    via,
    avatarVersion: row.avatarUpdatedAt?.getTime() ?? null,
    ssoManaged: row.ssoManaged,
    accountSsoOnly: row.accountSsoOnly,
    signsInWithPassword: row.hasPassword && !row.ssoManaged,
    twoFactorEnabled: row.totpEnabled || row.hasPasskeys,
    totpEnabled: row.totpEnabled,
    hasPasskeys: row.hasPasskeys,
    twoFactorGate: twoFactorGate(row.policy, { roles, twoFactorEnabled: row.totpEnabled || row.hasPasskeys }),
    accessExpiresAt: row.accessExpiresAt,
    accessExpired: row.accessExpired,
    teams: new Set((row.teams ?? []).map((team) => team.id)),
    leads: new Set((row.teams ?? []).filter((team) => team.lead).map((team) => team.id)),
  };
}

/**
 * What a permission is asked about (A1, T6, A4). No scope: anywhere at all — may they open
 * this surface or start this action (the surface then shows only what is theirs). A scope
 * without `units`: the account as a whole. With `units`: a member — the units they belong
 * to with every unit above those — or a unit with the units above it; a grant on any of
 * these covers it. `email`: the member's address (T6).
 */
export type Scope = { kind?: undefined; accountId: string; email?: string; units?: readonly string[] };

/**
 * A6: a resource as can() weighs it — its owner, who it is shared with and how (a
 * workspace brings its project's shares and owner too: they apply to it), and whether it
 * is open to all users (a data source). db/queries/resources.ts loads it (resourceScopeOf).
 */
export type ResourceScope = {
  kind: "resource";
  accountId: string;
  id: string;
  resourceKind: string;
  /** The owner, and a workspace's project's owner. */
  owners: readonly string[];
  allUsers: boolean;
  shares: readonly { teamId: string | null; userId: string | null; level: "view" | "edit" }[];
};
/** What is asked about a resource: seeing it (a workflow's viewers: its execution log only), or changing, sizing and sharing it. */
export type ResourceAbility = "resource.view" | "resource.edit";

/** A6: a team as can() weighs it — its lead may manage its members and its shares. */
export type TeamScope = { kind: "team"; accountId: string; id: string; leadId: string | null };
export type TeamAbility = "team.manage_members";

/** A member as a scope (A1, T6, A4): their account, address, and units with every unit above them. */
export const memberScope = (member: { accountId: string; email: string; unitLine: readonly string[] }): Scope => ({ accountId: member.accountId, email: member.email, units: member.unitLine });

/** Where a permission reaches (A4): the whole account, or the subtrees of these units (maybe none). */
export type Reach = { wholeAccount: true } | { wholeAccount: false; units: readonly string[] };

/**
 * Where this principal holds this permission. Lists (the team table, its counts, search,
 * the API) turn it into their where-clause (db/queries/members.ts), so they show exactly
 * the members can(…, memberScope) answers yes for.
 */
export function reachOf(principal: Pick<Principal, "permissions" | "unitPermissions">, permission: Permission): Reach {
  if (principal.permissions.has(permission)) return { wholeAccount: true };
  return { wholeAccount: false, units: [...(principal.unitPermissions.get(permission) ?? [])] };
}

function holds(principal: Principal, permission: Permission, scope?: Scope): boolean {
  if (principal.permissions.has(permission)) return true;
  const units = principal.unitPermissions.get(permission);
  if (!units?.size) return false;
  if (!scope) return true;
  return Boolean(scope.units?.some((unit) => units.has(unit)));
}

/**
 * Why this principal may not do this, here — or null when they may. Their roles must grant
 * the permission; an SSO-only account's identity provider owns membership (T7); nothing
 * in another account is anyone's business (A1); vendor staff are visible to staff alone
 * (T6); a role given on a unit reaches that unit and those below it, never above or beside
 * (A4). Whatever is out of sight reads as "not found", never "forbidden".
 */
export function refusalFor(principal: Principal, ability: ResourceAbility, scope: ResourceScope): Refusal | null;
export function refusalFor(principal: Principal, ability: TeamAbility, scope: TeamScope): Refusal | null;
export function refusalFor(principal: Principal, permission: Permission, scope?: Scope): Refusal | null;
export function refusalFor(principal: Principal, question: Permission | ResourceAbility | TeamAbility, scope?: Scope | ResourceScope | TeamScope): Refusal | null {
  if (scope && scope.accountId !== principal.accountId) return NOT_FOUND;
  if (scope?.kind === "resource") return resourceRefusal(principal, question as ResourceAbility, scope);
  if (scope?.kind === "team") return teamRefusal(principal, scope);
  if (question === "resource.view" || question === "resource.edit" || question === "team.manage_members") return NOT_FOUND;
  const permission = question;
  if (scope?.email && mayNotSee(principal, scope.email)) return NOT_FOUND;
  if (!holds(principal, permission)) return { code: "forbidden", message: `Your roles do not allow this (${PERMISSIONS[permission].label.toLowerCase()}).` };
  if (PERMISSIONS[permission].idpOwned && principal.accountSsoOnly) return { code: "managed_by_identity_provider", message: "This account's membership is managed by its identity provider." };
  if (scope && !holds(principal, permission, scope)) {
    // A4: beyond their units a unit administrator sees nobody, as if in another account.
    if (scope.units && !holds(principal, "members.read", scope)) return NOT_FOUND;
    return {
      code: "forbidden",
      message: scope.units ? `Your roles allow this (${PERMISSIONS[permission].label.toLowerCase()}) only in the units they were given on.` : `Your roles allow this (${PERMISSIONS[permission].label.toLowerCase()}) only in some units, not for the whole account.`,
    };
  }
  return null;
}

const NOT_FOUND = { code: "not_found", message: "Not found." } as const;
type Refusal = { code: RefusalCode; message: string };

const RESOURCE_LABEL: Record<string, string> = { app: "app", project: "project", workspace: "workspace", workflow: "workflow", dashboard: "dashboard", data_source: "data source", chat: "chat" };
export const resourceKindLabel = (kind: string) => RESOURCE_LABEL[kind] ?? kind;

/**
 * A6: how far this principal reaches a resource by ownership and shares alone — "edit"
 * as an owner (or a workspace's project's owner) or through an Edit share (theirs or a
 * team's they are in), "view" through a View share or a data source open to all users.
 */
export function shareLevelOf(principal: Pick<Principal, "id" | "teams">, resource: ResourceScope): "edit" | "view" | null {
  if (resource.owners.includes(principal.id)) return "edit";
  let level: "edit" | "view" | null = resource.allUsers ? "view" : null;
  for (const share of resource.shares) {
    const mine = share.userId === principal.id || (share.teamId !== null && principal.teams.has(share.teamId));
    if (!mine) continue;
    if (share.level === "edit") return "edit";
    level = "view";
  }
  return level;
}

/**
 * A6: ownership and shares say how far someone reaches a resource; their roles cap it
 * (viewing needs "View content", changing "Create content") and "Edit all content" reaches
 * every resource of the account. A resource nobody shared with them is out of sight: not found.
 */
function resourceRefusal(principal: Principal, ability: ResourceAbility, resource: ResourceScope): Refusal | null {
  const editsAll = principal.permissions.has("content.edit_all");
  const level = editsAll ? "edit" : shareLevelOf(principal, resource);
  if (!level) return NOT_FOUND;
  const label = resourceKindLabel(resource.resourceKind);
  if (ability === "resource.view") {
    return editsAll || principal.permissions.has("content.view") ? null : { code: "forbidden", message: `Your roles do not allow this (${PERMISSIONS["content.view"].label.toLowerCase()}).` };
  }
  if (level !== "edit") return { code: "forbidden", message: `This ${label} is shared with you to view, not to edit.` };
  if (!editsAll && !principal.permissions.has("content.create")) return { code: "forbidden", message: `Your roles do not allow this (${PERMISSIONS["content.create"].label.toLowerCase()}).` };
  return null;
}

/** A6: whether the Teams page has anything for a principal without "Manage teams" (the teams they lead; each is asked of can()). */
export const leadsATeam = (principal: Pick<Principal, "leads">) => principal.leads.size > 0;

/** A6: a team's members and shares are managed by whoever manages teams, and by its lead. */
function teamRefusal(principal: Principal, team: TeamScope): Refusal | null {
  if (principal.permissions.has("teams.manage") || (team.leadId === principal.id && principal.leads.has(team.id))) return null;
  return { code: "forbidden", message: `Only the team's lead or someone who may ${PERMISSIONS["teams.manage"].label.toLowerCase()} can change its members and shares.` };
}

/**
 * The one question (STYLE): may this principal do this, here? Pages, actions, API routes
 * and the navigation all ask it; nothing else decides who may do what. An API key's
 * scopes narrow it further (lib/api/handler.ts says which scope a route needs).
 */
export function can(principal: Principal, ability: ResourceAbility, scope: ResourceScope): boolean;
export function can(principal: Principal, ability: TeamAbility, scope: TeamScope): boolean;
export function can(principal: Principal, permission: Permission, scope?: Scope): boolean;
export function can(principal: Principal, question: Permission | ResourceAbility | TeamAbility, scope?: Scope | ResourceScope | TeamScope): boolean {
  return refusalFor(principal, question as Permission, scope as Scope) === null;
}

/**
 * B3: whether the principal's roles grant this for the whole account, before T7's rule that
 * withholds membership permissions from people in an SSO-only account: what a SCIM token
 * (the identity provider itself, acting where T7 gives it membership) may take from its maker.
 */
export const grantedForWholeAccount = (principal: Pick<Principal, "permissions">, permission: Permission) => principal.permissions.has(permission);

/** T6 for one address: whether this principal may see a member with it (an invitee, a recipient). */
export const mayNotSee = (principal: Principal, email: string) => !principal.isStaff && isStaffAddress(email);

/**
 * A3: nobody gives or takes a role with a permission they do not hold (a Restricted
 * administrator cannot make anyone Admin, nor unmake one). A4: for the whole account
 * (`on` absent) they must hold every permission of the role for the whole account; on a
 * unit (`on`: the unit's line) what the role confers there — its unit-scoped permissions —
 * on that unit or one above it.
 */
export function canGrant(principal: Principal, role: { permissions: readonly string[] }, on?: { accountId: string; units: readonly string[] }): boolean {
  if (!on) return role.permissions.every((permission) => isPermission(permission) && principal.permissions.has(permission));
  const conferred = unitScopedPermissionsOf(role);
  return conferred.length > 0 && conferred.every((permission) => holds(principal, permission, on));
}

/** A member's grants as outranks() weighs them: each role's permissions, and the line of the unit it is on (A4). */
export type WeighedGrant = { permissions: readonly string[]; unit?: { line: readonly string[] } | null };

/**
 * Whether the principal may act on a member (disable, change roles, remove 2FA…): not on
 * someone with an administration permission the principal lacks — a Restricted
 * administrator does not manage an Admin. A4: a grant of the member's on a unit weighs
 * only what it confers there, and the principal must hold it on that unit or above;
 * a unit administrator never manages someone who administers the whole account.
 */
export function outranks(principal: Principal, member: { grants: readonly WeighedGrant[] }): boolean {
  return member.grants.every((grant) => {
    const held = grant.unit ? unitScopedPermissionsOf(grant) : grant.permissions.filter(isPermission);
    const where = grant.unit ? { accountId: principal.accountId, units: grant.unit.line } : undefined;
    return held.every((permission) => PERMISSIONS[permission].group !== "Administration" || (where ? holds(principal, permission, where) : principal.permissions.has(permission)));
  });
}
