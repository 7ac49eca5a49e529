import type { Executor } from "@/db/client";
import { accountHasIdentityProvider, findLiveScimToken, insertScimToken, listScimTokens, revokeScimTokenRow, scimDeleteActionOf, setScimDeleteActionRow, touchScimToken, type ScimDeleteAction } from "@/db/queries/scim";
import { config } from "@/lib/config";
import { refuse } from "@/lib/actions/refusal";
import type { Actor } from "@/lib/actions/actor";
import { recordAuditBy } from "@/lib/audit";
import { isPermission, PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { can, grantedForWholeAccount, type Principal } from "@/lib/auth/principal";
import { randomToken } from "@/lib/crypto";

export const SCIM_TOKEN_PREFIX = "scim_";
const TOKEN_SHAPE = /^Bearer\s+(scim_[A-Za-z0-9_-]{43})$/;

/** What provisioning does to members: a token's maker must hold all of it for the whole account. */
export const PROVISIONING_NEEDS: readonly Permission[] = ["members.read", "members.invite", "members.manage", "roles.assign"];

/** Why this principal may not make a SCIM token, or null when they may. */
export function scimTokenRefusal(principal: Principal): string | null {
  if (!can(principal, "provisioning.manage")) return "Your roles do not allow provisioning.";
  // Held for the whole account, asked of the roles: in an SSO-only account can() withholds
  // these from people (T7), and provisioning is exactly the IdP taking them over.
  const missing = PROVISIONING_NEEDS.filter((permission) => !grantedForWholeAccount(principal, permission));
  return missing.length ? `A SCIM token invites, disables and gives roles to members; your roles lack: ${missing.map((p) => PERMISSIONS[p].label).join(", ")}.` : null;
}

/**
 * B3: a new token for the account's identity provider. The token is returned once; only
 * its hash and a short prefix are kept (as API keys). It acts with the permissions its
 * maker holds for the whole account now, so it never exceeds them.
 */
export async function createScimToken(tx: Executor, actor: Actor, input: { name: string }) {
  const refusal = scimTokenRefusal(actor.principal);
  if (refusal) refuse(refusal, "forbidden");
  const token = `${SCIM_TOKEN_PREFIX}${randomToken(32)}`;
  const prefix = token.slice(0, 12);
  const row = await insertScimToken(tx, {
    accountId: actor.principal.accountId,
    name: input.name,
    prefix,
    token,
    permissions: [...actor.principal.permissions],
    createdBy: actor.principal.id,
  });
  await recordAuditBy(tx, actor, { action: "scim_token.created", target: { type: "scim_token", id: row.id }, details: { name: input.name, prefix } });
  return { id: row.id, prefix, token };
}

export async function revokeScimToken(tx: Executor, actor: Actor, input: { tokenId: string }) {
  if (!can(actor.principal, "provisioning.manage")) refuse("Your roles do not allow provisioning.", "forbidden");
  const revoked = await revokeScimTokenRow(tx, actor.principal.accountId, input.tokenId);
  if (!revoked) refuse("No such SCIM token.", "not_found");
  await recordAuditBy(tx, actor, { action: "scim_token.revoked", target: { type: "scim_token", id: revoked.id }, details: { name: revoked.name, prefix: revoked.prefix } });
  return revoked;
}


/** The principal of a SCIM request: the identity provider's token, no person. */
export type ScimPrincipal = Principal & { via: { kind: "scim_token"; tokenId: string; tokenPrefix: string; tokenName: string } };

/**
 * The principal behind `Authorization: Bearer scim_…`, checked on every request. It is the
 * account's identity provider acting: its permissions are the token's; it is never staff
 * (T6: vendor staff stay out of a customer's IdP's sight); and membership being the IdP's
 * (T7) does not stop it — it is the IdP.
 */
export async function authenticateScimToken(db: Executor, authorization: string | null): Promise<ScimPrincipal | null> {
  const match = authorization?.match(TOKEN_SHAPE);
  if (!match) return null;
  const row = await findLiveScimToken(db, match[1]);
  if (!row) return null;
  await touchScimToken(db, row.id);
  const via = { kind: "scim_token", tokenId: row.id, tokenPrefix: row.prefix, tokenName: row.name } as const;
  return {
    id: row.id,
    accountId: row.accountId,
    email: "",
    name: row.name,
    status: "active",
    kind: "person",
    roles: [],
    permissions: new Set(row.permissions.filter(isPermission)),
    unitPermissions: new Map(),
    teams: new Set(),
    leads: new Set(),
    isStaff: false,
    via,
    avatarVersion: null,
    ssoManaged: false,
    accountSsoOnly: false,
    signsInWithPassword: false,
    twoFactorEnabled: false,
    totpEnabled: false,
    hasPasskeys: false,
    twoFactorGate: { state: "none" },
    accessExpiresAt: null,
    accessExpired: false,
  };
}

/** B3: what the Provisioning page shows — where the endpoint is, the tokens, and how people arrive. */
export async function provisioningOverview(db: Executor, principal: Principal) {
  const [tokens, throughIdentityProvider, deleteAction] = await Promise.all([
    listScimTokens(db, principal.accountId),
    accountHasIdentityProvider(db, principal.accountId),
    scimDeleteActionOf(db, principal.accountId),
  ]);
  return { endpoint: `${config().appUrl}/scim/v2`, tokens, throughIdentityProvider, deleteAction, refusal: scimTokenRefusal(principal) };
}

/**
 * B3, T4: what the identity provider's DELETE of a person does here — disable them (the
 * default: sessions end, everything is kept) or anonymise them (GDPR: their name and
 * address overwritten for good, their content kept). Step-up (the action), audited.
 */
export async function setScimDeleteAction(tx: Executor, actor: Actor, input: { action: ScimDeleteAction }) {
  const accountId = actor.principal.accountId;
  const before = await scimDeleteActionOf(tx, accountId);
  if (before === input.action) return { action: before, changed: false };
  await setScimDeleteActionRow(tx, accountId, input.action);
  await recordAuditBy(tx, actor, { action: "scim.delete_action_changed", target: { type: "account", id: accountId }, details: { before, after: input.action } });
  return { action: input.action, changed: true };
}
