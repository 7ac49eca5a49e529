import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor, Tx } from "@/db/client";
import { findUserByEmail, insertMembers } from "@/db/queries/users";
import { accounts, invitations, users } from "@/db/schema";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import { actingUserId, mayNotSee, refusalFor, type Principal } from "@/lib/auth/principal";
import { addUnitMember } from "@/db/queries/units";
import { NO_SUCH_UNIT, unitOrRefuse, unitScope } from "@/lib/org-units/units";
import { describeWait, Throttle } from "@/lib/auth/throttle";
import { config } from "@/lib/config";
import { randomToken, sha256 } from "@/lib/crypto";
import { isUniqueViolation } from "@/lib/db-errors";
import { enqueueEmail } from "@/lib/email";
import { invitationEmail } from "@/lib/email/templates";
import { visibleMemberOrRefuse } from "./members";
import type { Actor } from "@/lib/actions/actor";
import { assertGrantable, chosenRoles } from "./roles";
import { isWorkstationAddress } from "./workstation-address";
import { futureExpiry } from "@/lib/expiry/validate";
import { clearPropertyValues } from "@/db/queries/properties";
import { applyRules } from "@/lib/properties/rules";

const ALREADY_MEMBER = "This email address already belongs to a user. Nothing was sent.";
const STAFF_DOMAIN = "Addresses at this email domain cannot be invited to your account. Nothing was sent.";
// T2 asks for a clear answer when the address is taken, even in another account; so that
// answer cannot be used to map other tenants' members in bulk, refusals are limited and audited.
const takenAddressLookups = new Throttle({ name: "invite:taken", points: 20, durationSeconds: 60 * 60 });

/** `accessExpiresAt` (ISO 8601, optional): the membership ends then, with no one acting (A5). `unitId`: the unit they join (A4). */
export type InviteInput = { email: string; name: string; roles: readonly string[]; accessExpiresAt?: string | null; unitId?: string | null };

/**
 * A4: the unit a new person joins, one the principal invites into — or none, for those who
 * invite for the whole account. Someone who invites only into some units must choose one:
 * they could not see the person otherwise.
 */
export async function unitToJoin(db: Executor, principal: Principal, unitId: string | null | undefined) {
  if (!unitId) {
    const refusal = refusalFor(principal, "members.invite", { accountId: principal.accountId });
    if (refusal) refuse("Choose the unit they join: you add people only to the units you administer.", "invalid");
    return null;
  }
  const unit = await unitOrRefuse(db, principal.accountId, unitId);
  const refusal = refusalFor(principal, "members.invite", unitScope(unit));
  if (refusal) refuse(refusal.code === "not_found" ? NO_SUCH_UNIT : "You can add people only to the units you administer.", refusal.code);
  return unit;
}

/** Checks before a step-up code is sent for an invitation (T2, T6, A3). */
export async function checkInvite(db: Executor, { principal, request }: Actor, input: InviteInput) {
  // T6: staff are hidden from customers, so a customer admin cannot invite a staff-domain
  // address at all — one answer whether or not a staff account has it, decided from the
  // address alone, before any lookup. Allowing it would not help them either: the invited
  // row would be hidden from their own table, so they could never resend or revoke it.
  // Vendor staff (who see staff) invite staff as before.
  if (mayNotSee(principal, input.email)) refuse(STAFF_DOMAIN);
  if (isWorkstationAddress(input.email)) refuse("This address is reserved for shared workstations: use Add workstation.", "invalid");
  assertGrantable(principal, await chosenRoles(db, principal.accountId, input.roles));
  if (input.accessExpiresAt) futureExpiry(input.accessExpiresAt);
  await unitToJoin(db, principal, input.unitId);
  // Over the limit, every invitation waits — whatever the address — so the answer says nothing.
  const wait = await takenAddressLookups.blockedFor(db, principal.id);
  if (wait > 0) refuse(`Too many invitations to addresses already in use. Try again in ${describeWait(wait)}.`, "rate_limited");
  const existing = await findUserByEmail(db, input.email);
  if (!existing) return;
  if (existing.accountId !== principal.accountId) {
    const quota = await takenAddressLookups.allow(db, principal.id);
    if (!quota.allowed) refuse(`Too many invitations to addresses already in use. Try again in ${describeWait(quota.retryAfterSeconds)}.`, "rate_limited");
    await recordAuditBy(db, { principal, request }, { action: "member.invite_refused", target: { type: "email", id: input.email }, details: { reason: "address_in_use" } });
  }
  refuse(ALREADY_MEMBER);
}

/** T2: an invited member with their roles (A3), and the invitation email — one transaction. */
export async function inviteMember(tx: Tx, actor: Actor, input: InviteInput) {
  const { principal } = actor;
  if (isWorkstationAddress(input.email)) refuse("This address is reserved for shared workstations: use Add workstation.", "invalid");
  const roles = await chosenRoles(tx, principal.accountId, input.roles);
  assertGrantable(principal, roles);
  const accessExpiresAt = input.accessExpiresAt ? futureExpiry(input.accessExpiresAt) : null;
  const unit = await unitToJoin(tx, principal, input.unitId);
  let invitee: { id: string; email: string };
  try {
    // A savepoint, so a unique violation leaves the transaction usable for the refusal.
    [invitee] = await tx.transaction((sp) =>
      insertMembers(sp, [{ accountId: principal.accountId, email: input.email, name: input.name, status: "invited", roles, accessExpiresAt }], actingUserId(principal)),
    );
  } catch (error) {
    if (isUniqueViolation(error)) refuse(ALREADY_MEMBER);
    throw error;
  }
  if (unit) await addUnitMember(tx, unit.id, invitee.id);
  await sendInvitation(tx, principal, invitee);
  await recordAuditBy(tx, actor, {
    action: "member.invited",
    target: { type: "user", id: invitee.id },
    details: {
      email: input.email,
      roles: roles.map((role) => role.name),
      ...(accessExpiresAt ? { accessExpiresAt: accessExpiresAt.toISOString() } : {}),
      ...(unit ? { unit: unit.name } : {}),
    },
  });
  return { userId: invitee.id };
}

/**
 * B3: a member added by the account's identity provider (SCIM) in an account that signs
 * in through it: Active at once, with no password and no invitation email — they sign in
 * with "Continue with SSO", where their first sign-in joins them to their IdP identity by
 * T7's rules. An invitation would give them a password of ours that the IdP cannot take
 * back. The same checks as an invitation (address free and not reserved, roles theirs to give).
 */
export async function addIdentityProviderMember(tx: Tx, actor: Actor, input: { email: string; name: string; roles: readonly string[] }) {
  const { principal } = actor;
  if (mayNotSee(principal, input.email)) refuse(STAFF_DOMAIN);
  if (isWorkstationAddress(input.email)) refuse("This address is reserved for shared workstations: use Add workstation.", "invalid");
  const roles = await chosenRoles(tx, principal.accountId, input.roles);
  assertGrantable(principal, roles);
  await unitToJoin(tx, principal, null);
  let member: { id: string; email: string };
  try {
    [member] = await tx.transaction((sp) =>
      insertMembers(sp, [{ accountId: principal.accountId, email: input.email, name: input.name, status: "active", roles }], actingUserId(principal)),
    );
  } catch (error) {
    if (isUniqueViolation(error)) refuse(ALREADY_MEMBER);
    throw error;
  }
  await recordAuditBy(tx, actor, { action: "member.added", target: { type: "user", id: member.id }, details: { email: input.email, roles: roles.map((role) => role.name) } });
  return { userId: member.id };
}

export const NOT_RESENDABLE = "Only pending invitations can be re-sent.";
export const NOT_REVOCABLE = "Only pending invitations can be revoked.";

/** An invited member the principal may see, or a refusal saying why not. */
export async function pendingInvitee(db: Executor, principal: Principal, userId: string, refusal: string, lock = false) {
  const member = await visibleMemberOrRefuse(db, principal, userId, "members.invite", lock);
  if (member.status !== "invited") refuse(refusal);
  return member;
}

/** T2: a fresh link replaces the open one. */
export async function resendInvitation(tx: Tx, actor: Actor, input: { userId: string }) {
  const member = await pendingInvitee(tx, actor.principal, input.userId, NOT_RESENDABLE, true);
  await revokeOpenInvitations(tx, member.id);
  await sendInvitation(tx, actor.principal, member);
  await recordAuditBy(tx, actor, { action: "invitation.resent", target: { type: "user", id: member.id }, details: { email: member.email } });
  return { email: member.email };
}

/** T2: the link stops working; the invited row goes, so the address can be invited again. */
export async function revokeInvitation(tx: Tx, actor: Actor, input: { userId: string }) {
  const member = await pendingInvitee(tx, actor.principal, input.userId, NOT_REVOCABLE, true);
  await revokeOpenInvitations(tx, member.id);
  // A7: their values (set by hand or imported before they accepted) go with them, and with
  // them what access rules gave them — taken back by applyRules, so each removal is audited
  // with its rule's name rather than vanishing with the row.
  await clearPropertyValues(tx, member.id);
  await applyRules(tx, actor.principal.accountId, { userIds: [member.id] }, actor);
  // An invited person owns nothing yet (their role grants go with the row).
  await tx.delete(users).where(eq(users.id, member.id));
  await recordAuditBy(tx, actor, { action: "invitation.revoked", target: { type: "user", id: member.id }, details: { email: member.email } });
  return { email: member.email };
}

export const INVITATION_TTL_DAYS = 7;

/** Creates an invitation for an invited member and queues its email (same transaction). */
export async function sendInvitation(
  tx: Tx,
  inviter: { id: string; name: string; email: string; accountId: string; via?: Principal["via"] },
  invitee: { id: string; email: string },
) {
  const token = randomToken(32);
  await tx.insert(invitations).values({
    accountId: inviter.accountId,
    userId: invitee.id,
    email: invitee.email,
    tokenHash: sha256(token),
    invitedBy: actingUserId(inviter),
    expiresAt: sql`now() + make_interval(days => ${INVITATION_TTL_DAYS})`,
  });
  const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, inviter.accountId));
  await enqueueEmail(tx, {
    accountId: inviter.accountId,
    to: invitee.email,
    kind: "invitation",
    ...invitationEmail({
      inviterName: inviter.name || inviter.email,
      accountName: account.name,
      // Built from configuration, never from the request's Host header.
      link: `${config().appUrl}/invitations/${token}`,
    }),
  });
}

/** Ends every open invitation of a member (before a resend, or on revoke). */
export async function revokeOpenInvitations(tx: Executor, userId: string) {
  await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invitations.userId, userId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
}

export type InvitationState =
  | { state: "valid"; invitationId: string; userId: string; email: string; name: string; accountName: string }
  | { state: "invalid" | "expired" | "revoked" | "accepted" };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** What an invitation link leads to. A tampered or unknown token is simply "invalid". */
export async function lookUpInvitation(db: Executor, token: string, lock = false): Promise<InvitationState> {
  if (!TOKEN_SHAPE.test(token)) return { state: "invalid" };
  const query = db
    .select({
      invitation: invitations,
      expired: sql<boolean>`${invitations.expiresAt} <= now()`,
      user: { id: users.id, status: users.status, name: users.name, email: users.email },
      accountName: accounts.name,
    })
    .from(invitations)
    .innerJoin(accounts, eq(accounts.id, invitations.accountId))
    .leftJoin(users, eq(users.id, invitations.userId))
    .where(eq(invitations.tokenHash, sha256(token)))
    .limit(1);
  const [row] = lock ? await query.for("update", { of: invitations }) : await query;
  if (!row) return { state: "invalid" };
  if (row.invitation.acceptedAt) return { state: "accepted" };
  if (row.invitation.revokedAt || !row.user) return { state: "revoked" };
  if (row.expired) return { state: "expired" };
  if (row.user.status !== "invited") return { state: "accepted" };
  return { state: "valid", invitationId: row.invitation.id, userId: row.user.id, email: row.user.email, name: row.user.name, accountName: row.accountName };
}
