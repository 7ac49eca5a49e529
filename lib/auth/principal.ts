import { config } from "@/lib/config";
import type { ApiScope } from "@/lib/api/scopes";
import type { RefusalCode } from "@/lib/actions/refusal";
import { isPermission, PERMISSIONS, permissionsOf, resolveRoles, type HeldRole, type Permission, type RoleRef } from "./permissions";

export type { RoleRef } from "./permissions";
import { twoFactorGate, type TwoFactorGate, type TwoFactorPolicy } from "./two-factor-policy";


/** How the principal came in: a console session, or an API key with its scopes (P6). */
export type Via =
  | { kind: "session"; sessionId: string }
  | { kind: "api_key"; keyId: string; keyPrefix: string; scopes: ApiScope[] }
  /** Loaded to be asked about (POST /api/v1/authorize), not acting. */
  | { kind: "lookup" };

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
  permissions: ReadonlySet<Permission>;
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
};

export const isStaffAddress = (email: string, domain = config().staffEmailDomain) =>
  Boolean(domain) && email.toLowerCase().endsWith(`@${domain!.toLowerCase()}`);

export function toPrincipal(row: PrincipalRow, via: Via): Principal {
  const resolved = resolveRoles(row.roles);
  const roles = resolved.map(({ key, name, custom }) => ({ key, name, custom }));
  const { id, accountId, email, name, status, kind } = row.user;
  return {
    id,
    accountId,
    email,
    name,
    status,
    kind,
    roles,
    permissions: permissionsOf(resolved),
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
  };
}

/** What a permission is asked about: something in an account, and for a member their address (T6). */
export type Scope = { accountId: string; email?: string };

/**
 * Why this principal may not do this, here — or null when they may. Their roles must grant
 * the permission; an SSO-only account's identity provider owns membership (T7); nothing
 * in another account is anyone's business (A1); vendor staff are visible to staff alone
 * (T6). The last two read as "not found", never "forbidden".
 */
export function refusalFor(principal: Principal, permission: Permission, scope?: Scope): { code: RefusalCode; message: string } | null {
  if (scope && scope.accountId !== principal.accountId) return NOT_FOUND;
  if (scope?.email && mayNotSee(principal, scope.email)) return NOT_FOUND;
  if (!principal.permissions.has(permission)) return { code: "forbidden", message: `Your roles do not allow this (${PERMISSIONS[permission].label.toLowerCase()}).` };
  if (PERMISSIONS[permission].idpOwned && principal.accountSsoOnly) return { code: "managed_by_identity_provider", message: "This account's membership is managed by its identity provider." };
  return null;
}

const NOT_FOUND = { code: "not_found", message: "Not found." } as const;

/**
 * The one question (STYLE): may this principal do this, here? Pages, actions, API routes
 * and the navigation all ask it; nothing else decides who may do what. An API key's
 * scopes narrow it further (lib/api/handler.ts says which scope a route needs).
 */
export function can(principal: Principal, permission: Permission, scope?: Scope): boolean {
  return refusalFor(principal, permission, scope) === null;
}

/** T6 for one address: whether this principal may see a member with it (an invitee, a recipient). */
export const mayNotSee = (principal: Principal, email: string) => !principal.isStaff && isStaffAddress(email);

/**
 * A3: nobody gives or takes a role with a permission they do not hold (a Restricted
 * administrator cannot make anyone Admin, nor unmake one).
 */
export function canGrant(principal: Principal, role: { permissions: readonly string[] }): boolean {
  return role.permissions.every((permission) => isPermission(permission) && principal.permissions.has(permission));
}

/**
 * Whether the principal may act on a member (disable, change roles, remove 2FA…): not on
 * someone with an administration permission the principal lacks — a Restricted
 * administrator does not manage an Admin.
 */
export function outranks(principal: Principal, member: { permissions: ReadonlySet<string> | readonly string[] }): boolean {
  const held = [...member.permissions];
  return held.every((permission) => !isPermission(permission) || PERMISSIONS[permission].group !== "Administration" || principal.permissions.has(permission));
}
