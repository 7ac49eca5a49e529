import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { countOtherActiveAdmins, findVisibleMember } from "@/db/queries/members";
import { countPasskeys, deleteUserPasskeys } from "@/db/queries/passkeys";
import { rolesOfMember } from "@/db/queries/roles";
import { deleteUserSessions } from "@/db/queries/sessions";
import { accounts, backupCodes, users } from "@/db/schema";
import { refuse } from "@/lib/actions/refusal";
import { holdsAdminRole, type Permission } from "@/lib/auth/permissions";
import { recordAuditBy } from "@/lib/audit";
import { sendPasswordReset } from "@/lib/auth/password-reset";
import { memberScope, outranks, refusalFor, type Principal } from "@/lib/auth/principal";
import { deletePendingSignIns } from "@/lib/auth/sign-in-grants";
import { config } from "@/lib/config";
import { sendSecurityNotice } from "@/lib/security-notices/notices";
import type { Actor } from "@/lib/actions/actor";

export const NO_SUCH_MEMBER = "No such member in this account.";
export const LAST_ADMIN = "An account must keep at least one active Admin.";

/**
 * The member, when the principal may do `permission` to them: in the principal's own
 * account (A1), visible to them (T6), and within the units their roles reach for it (A4).
 * Out of sight reads as "no such member", exactly like another account's; in sight but
 * beyond the permission's units is refused as forbidden.
 */
export async function visibleMemberOrRefuse(db: Executor, principal: Principal, userId: string, permission: Permission, lock = false) {
  const member = await findVisibleMember(db, principal, { staffEmailDomain: config().staffEmailDomain }, userId, { lock, permission });
  if (!member) refuse(NO_SUCH_MEMBER, "not_found");
  const refusal = refusalFor(principal, permission, memberScope(member));
  if (refusal) refuse(refusal.code === "not_found" ? NO_SUCH_MEMBER : refusal.message, refusal.code);
  return member;
}

/** Not on someone with administration permissions the principal lacks (a Restricted administrator and an Admin). */
export async function assertOutranks(db: Executor, principal: Principal, member: { id: string }, doing: string) {
  const roles = await rolesOfMember(db, member.id);
  if (!outranks(principal, { grants: roles })) {
    refuse(`You cannot ${doing} someone with administration permissions you do not hold.`, "forbidden");
  }
  return roles;
}

function assertDisableable(principal: Principal, member: { id: string; status: string }) {
  if (member.id === principal.id) refuse("You cannot disable your own account.");
  if (member.status !== "active") refuse(member.status === "disabled" ? "This member is already disabled." : "Revoke the invitation instead.");
}

/** Checks before a step-up code is sent, so nobody verifies an action that cannot run. */
export async function checkDisable(db: Executor, principal: Principal, userId: string) {
  const member = await visibleMemberOrRefuse(db, principal, userId, "members.manage");
  assertDisableable(principal, member);
  await assertOutranks(db, principal, member, "disable");
}

/**
 * T3: disables a member. Access ends at once — every session and sign-in under way goes,
 * and their API keys stop working on their next request — while their content stays.
 */
export async function disableMember(tx: Executor, { principal, request }: Actor, input: { userId: string }) {
  // Serialises changes to the account's Admins, so two admins cannot disable each other at once.
  // NO KEY UPDATE, not UPDATE: every audit row's foreign key takes KEY SHARE on the account,
  // so with UPDATE an enable holding this member's row, writing its audit row, and this
  // disable waiting for the member's row would deadlock (lib/faults/races.test.ts).
  await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, principal.accountId)).for("no key update");
  const member = await visibleMemberOrRefuse(tx, principal, input.userId, "members.manage", true);
  assertDisableable(principal, member);
  const roles = await assertOutranks(tx, principal, member, "disable");
  if (holdsAdminRole(roles) && (await countOtherActiveAdmins(tx, principal.accountId, member.id)) === 0) refuse(LAST_ADMIN);
  await tx.update(users).set({ status: "disabled", disabledAt: sql`now()` }).where(eq(users.id, member.id));
  await deleteUserSessions(tx, member.id);
  // Else a sign-in waiting at its second step could finish once the member is enabled again.
  await deletePendingSignIns(tx, member.id);
  await recordAuditBy(tx, { principal, request }, { action: "member.disabled", target: { type: "user", id: member.id }, details: { email: member.email } });
  return { id: member.id, email: member.email, status: "disabled" as const };
}

export async function checkEnable(db: Executor, principal: Principal, userId: string) {
  const member = await visibleMemberOrRefuse(db, principal, userId, "members.manage");
  if (member.status !== "disabled") refuse("Only disabled members can be enabled.");
  if (isAnonymised(member)) refuse(ANONYMISED_FOR_GOOD);
}

/** T4: an anonymised member's placeholder address (lib/team/leaving.ts) — nobody signs in as them again. */
export const ANONYMISED_DOMAIN = "anonymised.invalid";
export const isAnonymised = (member: { email: string }) => member.email.endsWith(`@${ANONYMISED_DOMAIN}`);
const ANONYMISED_FOR_GOOD = "This member was anonymised: nobody can be them again. Invite the person anew if they come back.";

/** T3: restores access with everything as it was. */
export async function enableMember(tx: Executor, { principal, request }: Actor, input: { userId: string }) {
  const member = await visibleMemberOrRefuse(tx, principal, input.userId, "members.manage", true);
  if (member.status !== "disabled") refuse("Only disabled members can be enabled.");
  if (isAnonymised(member)) refuse(ANONYMISED_FOR_GOOD);
  await tx.update(users).set({ status: "active", disabledAt: null }).where(eq(users.id, member.id));
  await recordAuditBy(tx, { principal, request }, { action: "member.enabled", target: { type: "user", id: member.id }, details: { email: member.email } });
  return { id: member.id, email: member.email, status: "active" as const };
}

/**
 * B3: a member's name as their identity provider has it (T7: the IdP owns an SSO member's
 * identity fields, so the console has no form for this; SCIM is how it reaches us).
 */
export async function renameMember(tx: Executor, actor: Actor, input: { userId: string; name: string }) {
  const member = await visibleMemberOrRefuse(tx, actor.principal, input.userId, "members.manage", true);
  if (member.name === input.name) return { id: member.id, changed: false };
  await tx.update(users).set({ name: input.name }).where(eq(users.id, member.id));
  await recordAuditBy(tx, actor, { action: "member.renamed", target: { type: "user", id: member.id }, details: { email: member.email, before: member.name, after: input.name } });
  return { id: member.id, changed: true };
}

const NO_TWO_FACTOR = "This member does not use two-factor authentication.";

export async function checkRemoveTwoFactor(db: Executor, principal: Principal, userId: string) {
  const member = await visibleMemberOrRefuse(db, principal, userId, "members.manage");
  if (member.id === principal.id) refuse("Manage your own two-factor authentication on Personal Account.");
  if (member.ssoSubject) refuse("This member signs in through your identity provider, which owns their multi-factor authentication.");
  if (!member.totpEnabledAt && (await countPasskeys(db, member.id)) === 0) refuse(NO_TWO_FACTOR);
  await assertOutranks(db, principal, member, "remove the two-factor authentication of");
}

/** T5: removes a member's 2FA when they lost their device; their sessions end and they are told. */
export async function removeMemberTwoFactor(tx: Executor, { principal, request }: Actor, input: { userId: string }) {
  const member = await visibleMemberOrRefuse(tx, principal, input.userId, "members.manage", true);
  if (!member.totpEnabledAt && (await countPasskeys(tx, member.id)) === 0) refuse(NO_TWO_FACTOR);
  await assertOutranks(tx, principal, member, "remove the two-factor authentication of");
  await tx.update(users).set({ totpSecretEncrypted: null, totpPendingSecretEncrypted: null, totpEnabledAt: null, totpLastTimeStep: null }).where(eq(users.id, member.id));
  await tx.delete(backupCodes).where(eq(backupCodes.userId, member.id));
  // B1: a lost device may hold the member's passkeys too; every second factor goes.
  const passkeysRemoved = await deleteUserPasskeys(tx, member.id);
  // As a disable does: whoever holds the lost device may hold a session or a sign-in half done too.
  await deleteUserSessions(tx, member.id);
  await deletePendingSignIns(tx, member.id);
  await sendSecurityNotice(tx, member, "two-factor-removed-by-admin");
  await recordAuditBy(tx, { principal, request }, { action: "two_factor.removed_by_admin", target: { type: "user", id: member.id }, details: { email: member.email, passkeysRemoved } });
  return { email: member.email };
}

/** T5: sends a member the password-reset email. */
export async function sendMemberPasswordReset(tx: Executor, { principal, request }: Actor, input: { userId: string }) {
  const member = await visibleMemberOrRefuse(tx, principal, input.userId, "members.manage");
  if (member.status !== "active") refuse("Only active members can reset their password.");
  if (member.kind === "workstation") refuse("A shared workstation has no mailbox to send a reset link to.");
  if (!member.passwordHash || member.ssoSubject) refuse("This member signs in through your identity provider.");
  await sendPasswordReset(tx, member, principal.id);
  await recordAuditBy(tx, { principal, request }, { action: "password.reset_sent_by_admin", target: { type: "user", id: member.id }, details: { email: member.email } });
  return { email: member.email };
}
