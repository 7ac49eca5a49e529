import type { Tx } from "@/db/client";
import { accountHasIdentityProvider, findScimDeletedMember, findScimUser, listScimUsers, markScimDeleted, scimDeleteActionOf, writeScimIdentity, type ScimUserRow } from "@/db/queries/scim";
import { config } from "@/lib/config";
import { isUniqueViolation } from "@/lib/db-errors";
import { recordAuditBy } from "@/lib/audit";
import { addIdentityProviderMember, checkInvite, inviteMember, revokeInvitation } from "@/lib/team/invitations";
import { anonymiseMember } from "@/lib/team/leaving";
import { disableMember, enableMember, renameMember } from "@/lib/team/members";
import { emailField, nameField } from "@/lib/team/schemas";
import type { Actor } from "@/lib/actions/actor";
import { asScim, ScimProblem } from "./errors";
import { parseEqualityFilter } from "./filter";
import { listResponse, pageOf, scimBaseUrl, type ScimContext } from "./handler";
import { applyUserPatch, emailOf, patchOperations, scimBoolean, type UserState } from "./patch";

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
/** The role a member made by SCIM starts with, as one who joins through SSO (T7); groups give more. */
export const PROVISIONED_ROLE = "member";

const staffPolicy = () => ({ staffEmailDomain: config().staffEmailDomain });

export function toScimUser(row: ScimUserRow) {
  return {
    schemas: [USER_SCHEMA],
    id: row.id,
    ...(row.externalId ? { externalId: row.externalId } : {}),
    userName: row.userName,
    name: { formatted: row.name, ...(row.givenName ? { givenName: row.givenName } : {}), ...(row.familyName ? { familyName: row.familyName } : {}) },
    displayName: row.name,
    emails: [{ value: row.email, type: "work", primary: true }],
    // An invited person is provisioned and may still come in; a disabled one may not.
    active: row.status !== "disabled",
    meta: { resourceType: "User", created: row.createdAt.toISOString(), lastModified: (row.updatedAt ?? row.createdAt).toISOString(), location: `${scimBaseUrl()}/Users/${row.id}` },
  };
}

const stateOf = (row: ScimUserRow): UserState => ({
  userName: row.userName,
  externalId: row.externalId,
  displayName: row.name || null,
  givenName: row.givenName,
  familyName: row.familyName,
  formatted: row.name || null,
  email: row.email,
  active: row.status !== "disabled",
});

const invalid = (message: string) => new ScimProblem(400, message, "invalidValue");
const stringOrNull = (value: unknown, attribute: string) => {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw invalid(`${attribute} is a string.`);
  return value;
};

/** A whole User as POST and PUT send it (RFC 7643 §4.1). */
export function userStateFromBody(body: Record<string, unknown>, activeByDefault = true): UserState {
  const userName = stringOrNull(body.userName, "userName")?.trim();
  if (!userName) throw invalid("userName is required.");
  const name = body.name && typeof body.name === "object" ? (body.name as Record<string, unknown>) : {};
  return {
    userName,
    externalId: stringOrNull(body.externalId, "externalId"),
    displayName: stringOrNull(body.displayName, "displayName"),
    givenName: stringOrNull(name.givenName, "name.givenName"),
    familyName: stringOrNull(name.familyName, "name.familyName"),
    formatted: stringOrNull(name.formatted, "name.formatted"),
    // Entra's userName is often the UPN, not a mailbox: the address comes from emails first.
    email: emailOf(body.emails) ?? userName,
    // A PUT without active leaves it as it is: a replace must not re-enable someone by omission.
    active: body.active === undefined || body.active === null ? activeByDefault : scimBoolean(body.active, "active"),
  };
}

/** The member's address and name as the console keeps them, checked by the console's own rules. */
function memberFieldsOf(state: UserState) {
  const email = emailField.safeParse(state.email);
  if (!email.success) throw invalid("Send the person's email address in emails (or as the userName).");
  const joined = [state.givenName, state.familyName].filter(Boolean).join(" ");
  const name = nameField.safeParse(state.displayName || state.formatted || joined || "");
  if (!name.success) throw invalid(name.error.issues[0]?.message ?? "The name is not valid.");
  return { email: email.data, name: name.data };
}

/** A unique index said no: the userName or externalId belongs to someone else of the account. */
async function uniquely<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ScimProblem(409, "Another member has this userName or externalId.", "uniqueness");
    throw error;
  }
}

/**
 * Brings a member to the state the IdP sent, through the console's own operations: their
 * name (renameMember), what the IdP knows them by, then active — disableMember ends their
 * sessions at once, enableMember restores them; an invitation not yet accepted is revoked.
 * Returns false when the member is gone (a revoked invitation takes the invited row).
 */
async function applyUserState(tx: Tx, actor: Actor, current: { id: string; accountId: string; email: string; name: string; status: string }, desired: UserState): Promise<boolean> {
  const fields = memberFieldsOf(desired);
  if (fields.email !== current.email) throw new ScimProblem(400, "A member's email address cannot be changed through SCIM (their userName can).", "mutability");
  if (fields.name && fields.name !== current.name) await renameMember(tx, actor, { userId: current.id, name: fields.name });
  await writeScimIdentity(tx, current, { userName: desired.userName, externalId: desired.externalId, givenName: desired.givenName, familyName: desired.familyName });
  if (desired.active && current.status === "disabled") await enableMember(tx, actor, { userId: current.id });
  if (!desired.active && current.status === "active") await disableMember(tx, actor, { userId: current.id });
  if (!desired.active && current.status === "invited") {
    await revokeInvitation(tx, actor, { userId: current.id });
    return false;
  }
  return true;
}

const USER_FILTER = { userName: "userName", externalId: "externalId", id: "id", displayName: "displayName", "emails.value": "email", emails: "email" } as const;

export async function listUsers({ db, principal, url }: ScimContext) {
  const match = parseEqualityFilter(url.searchParams.get("filter"), USER_FILTER);
  const page = pageOf(url);
  const { total, rows } = await listScimUsers(db, principal.accountId, principal, staffPolicy(), match, page);
  return listResponse(rows.map(toScimUser), total, page.startIndex);
}

async function userOr404({ db, principal }: ScimContext, id: string) {
  const row = await findScimUser(db, principal.accountId, principal, staffPolicy(), id);
  if (!row) throw new ScimProblem(404, `No user ${id} in this account.`);
  return row;
}

export async function getUser(ctx: ScimContext, id: string) {
  return toScimUser(await userOr404(ctx, id));
}

/**
 * POST /Users. In an account that signs in through an identity provider the person is
 * Active at once and signs in with SSO (addIdentityProviderMember); otherwise they are
 * invited by email, as from the console, and set a password. Someone the IdP deleted
 * earlier comes back as the same member (their content never left).
 */
export async function createUser(ctx: ScimContext, body: Record<string, unknown>) {
  const { db, principal, actor } = ctx;
  const desired = userStateFromBody(body);
  const fields = memberFieldsOf(desired);
  const returning = await findScimDeletedMember(db, principal.accountId, fields.email);
  if (returning) {
    await uniquely(() => db.transaction((tx) => asScim(() => applyUserState(tx, actor, { ...returning, accountId: principal.accountId }, desired))));
    return toScimUser(await userOr404(ctx, returning.id));
  }
  const taken = await listScimUsers(db, principal.accountId, principal, staffPolicy(), { userName: desired.userName }, { offset: 0, limit: 0 });
  if (taken.total > 0) throw new ScimProblem(409, `A member with the userName ${desired.userName} exists: find them with filter=userName eq "…".`, "uniqueness");
  const invite = { email: fields.email, name: fields.name, roles: [PROVISIONED_ROLE] };
  const throughIdp = await accountHasIdentityProvider(db, principal.accountId);
  // The console's checks before an invitation (address reserved, in use here or in another
  // account, staff): outside the transaction, as there, so a refused lookup still counts
  // against the token's limit and is audited.
  await asScim(() => checkInvite(db, actor, invite), "uniqueness");
  const userId = await uniquely(() =>
    db.transaction(async (tx) => {
      const { userId } = await asScim(() => (throughIdp ? addIdentityProviderMember(tx, actor, invite) : inviteMember(tx, actor, invite)), "uniqueness");
      await writeScimIdentity(tx, { id: userId, accountId: principal.accountId }, { userName: desired.userName, externalId: desired.externalId, givenName: desired.givenName, familyName: desired.familyName });
      if (!desired.active && throughIdp) await asScim(() => disableMember(tx, actor, { userId }));
      return userId;
    }),
  );
  return toScimUser(await userOr404(ctx, userId));
}

async function changeUser(ctx: ScimContext, row: ScimUserRow, desired: UserState) {
  const kept = await uniquely(() => ctx.db.transaction((tx) => asScim(() => applyUserState(tx, ctx.actor, { ...row, accountId: ctx.principal.accountId }, desired))));
  if (!kept) return { ...toScimUser(row), active: false };
  return toScimUser(await userOr404(ctx, row.id));
}

/** PUT /Users/{id}: the whole User, replaced. */
export async function replaceUser(ctx: ScimContext, id: string, body: Record<string, unknown>) {
  const row = await userOr404(ctx, id);
  return changeUser(ctx, row, userStateFromBody(body, row.status !== "disabled"));
}

/** PATCH /Users/{id}. */
export async function patchUser(ctx: ScimContext, id: string, body: Record<string, unknown>) {
  const operations = patchOperations(body);
  const row = await userOr404(ctx, id);
  const before = stateOf(row);
  const after = applyUserPatch(before, operations);
  // Only the name's parts changed (Entra's "name.familyName"): the name is made of them again.
  const partsChanged = after.givenName !== before.givenName || after.familyName !== before.familyName;
  if (partsChanged && after.displayName === before.displayName && after.formatted === before.formatted) Object.assign(after, { displayName: null, formatted: null });
  return changeUser(ctx, row, after);
}

/**
 * DELETE /Users/{id}: the member is disabled — sessions end at once, their content stays
 * (never orphaned) — or, when the account chose so on Provisioning, anonymised (T4: their
 * name and address overwritten for good, content kept, needing *Delete members* of the
 * token); either way the endpoint stops returning them. An invitation not yet accepted is
 * revoked (the invited person owns nothing).
 */
export async function deleteUser(ctx: ScimContext, id: string) {
  const row = await userOr404(ctx, id);
  const { actor, principal } = ctx;
  await ctx.db.transaction(async (tx) => {
    if (row.status === "invited") {
      await asScim(() => revokeInvitation(tx, actor, { userId: row.id }));
      return;
    }
    if ((await scimDeleteActionOf(tx, principal.accountId)) === "anonymise") {
      // Marked first: anonymising then overwrites what the IdP knew them by, too. Its own
      // audit event names the placeholder; the old address goes nowhere.
      await markScimDeleted(tx, { id: row.id, accountId: principal.accountId, email: row.email });
      await asScim(() => anonymiseMember(tx, actor, { userId: row.id, confirmEmail: row.email }));
      await recordAuditBy(tx, actor, { action: "member.deleted_by_idp", target: { type: "user", id: row.id }, details: { anonymised: true } });
      return;
    }
    if (row.status === "active") await asScim(() => disableMember(tx, actor, { userId: row.id }));
    await markScimDeleted(tx, { id: row.id, accountId: principal.accountId, email: row.email });
    await recordAuditBy(tx, actor, { action: "member.deleted_by_idp", target: { type: "user", id: row.id }, details: { email: row.email } });
  });
}
