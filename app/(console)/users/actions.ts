"use server";

import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { deleteUserSessions } from "@/db/queries/sessions";
import { isHiddenStaffAddress } from "@/db/queries/members";
import { findUserByEmail } from "@/db/queries/users";
import { accounts, backupCodes, slackConnections, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { config } from "@/lib/config";
import { sendPasswordReset } from "@/lib/auth/password-reset";
import { deletePendingSignIns } from "@/lib/auth/sign-in-grants";
import { describeWait, Throttle } from "@/lib/auth/throttle";
import { enqueueEmail } from "@/lib/email";
import { twoFactorRemovedEmail } from "@/lib/email/templates";
import { defineAction, refuse, type ActionContext } from "@/lib/actions/define-action";
import { isUniqueViolation } from "@/lib/db-errors";
import { checkDisable, checkEnable, disableMemberNow, enableMemberNow, visibleMemberOrRefuse } from "@/lib/team/members";
import { revokeOpenInvitations, sendInvitation } from "@/lib/team/invitations";
import { emailField, memberIdField, nameField } from "@/lib/team/schemas";
import type { Executor } from "@/db/client";

const ALREADY_MEMBER = "This email address already belongs to a user. Nothing was sent.";
const STAFF_DOMAIN = "Addresses at this email domain cannot be invited to your account. Nothing was sent.";
// T2 asks for a clear answer when the address is taken, even in another account; so that
// answer cannot be used to map other tenants' members in bulk, refusals are limited and audited.
const takenAddressLookups = new Throttle({ name: "invite:taken", points: 20, durationSeconds: 60 * 60 });
const visibleMember = (db: Executor, ctx: ActionContext, userId: string, lock = false) => visibleMemberOrRefuse(db, ctx.user, userId, lock);
/** The step-up binding of an action on one member, worded with who it is ("disable Sam Lee"). */
const onMember = (verb: string) => async (input: { userId: string }, ctx: ActionContext) => {
  const member = await visibleMember(ctx.db, ctx, input.userId);
  return { targetId: input.userId, label: `${verb} ${member.name || member.email}` };
};

// T2: invite (step-up), resend, revoke.
export const inviteMember = defineAction({
  name: "member.invite",
  permission: "members.invite",
  revalidate: "/users",
  input: z.object({ email: emailField, name: nameField.default(""), role: z.enum(["primary", "secondary"], { error: "Choose a role." }) }),
  stepUp: (input) => ({ targetId: input.email, label: `invite ${input.email}` }),
  check: async (ctx, input) => {
    // T6: staff are hidden from customers, so a customer admin cannot invite a staff-domain
    // address at all — one answer whether or not a staff account has it, decided from the
    // address alone, before any lookup. Allowing it would not help them either: the invited
    // row would be hidden from their own table, so they could never resend or revoke it.
    // Vendor staff (who see staff) invite staff as before.
    if (isHiddenStaffAddress(ctx.user, { staffEmailDomain: config().staffEmailDomain }, input.email)) refuse(STAFF_DOMAIN);
    // Over the limit, every invitation waits — whatever the address — so the answer says nothing.
    const wait = await takenAddressLookups.blockedFor(ctx.db, ctx.user.id);
    if (wait > 0) refuse(`Too many invitations to addresses already in use. Try again in ${describeWait(wait)}.`);
    const existing = await findUserByEmail(ctx.db, input.email);
    if (!existing) return;
    if (existing.accountId !== ctx.user.accountId) {
      const quota = await takenAddressLookups.allow(ctx.db, ctx.user.id);
      if (!quota.allowed) refuse(`Too many invitations to addresses already in use. Try again in ${describeWait(quota.retryAfterSeconds)}.`);
      await recordAudit(ctx.db, { accountId: ctx.user.accountId, actorId: ctx.user.id, action: "member.invite_refused", target: { type: "email", id: input.email }, details: { reason: "address_in_use" }, context: ctx.request });
    }
    refuse(ALREADY_MEMBER);
  },
  run: async ({ tx, user, audit }, input) => {
    let invitee: { id: string; email: string };
    try {
      // A savepoint, so a unique violation leaves the transaction usable for the refusal.
      [invitee] = await tx.transaction((sp) =>
        sp
          .insert(users)
          .values({ accountId: user.accountId, email: input.email, name: input.name, role: input.role, status: "invited" })
          .returning({ id: users.id, email: users.email }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) refuse(ALREADY_MEMBER);
      throw error;
    }
    await sendInvitation(tx, user, invitee);
    await audit({ action: "member.invited", target: { type: "user", id: invitee.id }, details: { email: input.email, role: input.role } });
    return { userId: invitee.id };
  },
});

/** An invited member the actor may see, or a refusal saying why not. */
const pendingInvitee = async (db: Executor, ctx: ActionContext, userId: string, refusal: string, lock = false) => {
  const member = await visibleMember(db, ctx, userId, lock);
  if (member.status !== "invited") refuse(refusal);
  return member;
};
const NOT_RESENDABLE = "Only pending invitations can be re-sent.";
const NOT_REVOCABLE = "Only pending invitations can be revoked.";

// S1: a resend mails a fresh, working join link — an invitation like invite's — so both it
// and revoke need a code, worded with the address the link goes to.
export const resendInvitation = defineAction({
  name: "invitation.resend",
  permission: "members.invite",
  revalidate: "/users",
  input: z.object({ userId: memberIdField }),
  stepUp: async (input, ctx) => {
    const member = await pendingInvitee(ctx.db, ctx, input.userId, NOT_RESENDABLE);
    return { targetId: member.id, label: `resend the invitation to ${member.email}` };
  },
  run: async (ctx, input) => {
    const member = await pendingInvitee(ctx.tx, ctx, input.userId, NOT_RESENDABLE, true);
    await revokeOpenInvitations(ctx.tx, member.id);
    await sendInvitation(ctx.tx, ctx.user, member);
    await ctx.audit({ action: "invitation.resent", target: { type: "user", id: member.id }, details: { email: member.email } });
    return { email: member.email };
  },
});

export const revokeInvitation = defineAction({
  name: "invitation.revoke",
  permission: "members.invite",
  revalidate: "/users",
  input: z.object({ userId: memberIdField }),
  stepUp: async (input, ctx) => {
    const member = await pendingInvitee(ctx.db, ctx, input.userId, NOT_REVOCABLE);
    return { targetId: member.id, label: `revoke the invitation for ${member.email}` };
  },
  run: async (ctx, input) => {
    const member = await pendingInvitee(ctx.tx, ctx, input.userId, NOT_REVOCABLE, true);
    await revokeOpenInvitations(ctx.tx, member.id);
    // An invited person owns nothing yet: their placeholder row goes, so the address can be invited again.
    await ctx.tx.delete(users).where(eq(users.id, member.id));
    await ctx.audit({ action: "invitation.revoked", target: { type: "user", id: member.id }, details: { email: member.email } });
    return { email: member.email };
  },
});

// T3: disable / enable (both step-up).
export const disableMember = defineAction({
  name: "member.disable",
  permission: "members.manage",
  revalidate: "/users",
  input: z.object({ userId: memberIdField }),
  stepUp: onMember("disable"),
  check: (ctx, input) => checkDisable(ctx.db, ctx.user, input.userId),
  run: async (ctx, input) => {
    const member = await disableMemberNow(ctx.tx, ctx.user, input.userId);
    await ctx.audit({ action: "member.disabled", target: { type: "user", id: member.id }, details: { email: member.email } });
    return { email: member.email };
  },
});

export const enableMember = defineAction({
  name: "member.enable",
  permission: "members.manage",
  revalidate: "/users",
  input: z.object({ userId: memberIdField }),
  stepUp: onMember("enable"),
  check: (ctx, input) => checkEnable(ctx.db, ctx.user, input.userId),
  run: async (ctx, input) => {
    const member = await enableMemberNow(ctx.tx, ctx.user, input.userId);
    await ctx.audit({ action: "member.enabled", target: { type: "user", id: member.id }, details: { email: member.email } });
    return { email: member.email };
  },
});

// P4: org-wide "Enforce 2FA" (step-up).
export const setTwoFactorEnforcement = defineAction({
  name: "two_factor.enforcement",
  permission: "security.manage",
  revalidate: "/users",
  input: z.object({
    enabled: z.boolean(),
    graceDays: z.coerce.number({ error: "Enter a number of days." }).int("Enter whole days.").min(0, "At least 0 days.").max(90, "At most 90 days."),
    scope: z.enum(["everyone", "primary"], { error: "Choose who must use 2FA." }),
  }),
  stepUp: (input) => ({ targetId: "account", label: input.enabled ? "turn on 2FA enforcement" : "turn off 2FA enforcement" }),
  check: async (ctx, input) => {
    // As GitHub does: whoever enforces 2FA uses it first, so they cannot lock themselves out.
    if (input.enabled && !ctx.user.twoFactorEnabled) refuse("Set up two-factor authentication for yourself first (Personal Account).");
  },
  run: async ({ tx, user, audit }, input) => {
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, user.accountId)).for("update");
    await tx
      .update(accounts)
      .set({
        enforceTwoFactor: input.enabled,
        twoFactorScope: input.scope,
        twoFactorGraceDays: input.graceDays,
        // The grace period counts from when enforcement was switched on.
        twoFactorEnforcedSince: input.enabled ? (account.enforceTwoFactor && account.twoFactorEnforcedSince ? account.twoFactorEnforcedSince : sql`now()`) : null,
      })
      .where(eq(accounts.id, user.accountId));
    await audit({ action: "two_factor.enforcement_changed", target: { type: "account", id: user.accountId }, details: input });
    return input;
  },
});

// T5: a primary user removes a member's 2FA when they lost their device (step-up); their sessions end.
export const removeMemberTwoFactor = defineAction({
  name: "two_factor.remove",
  permission: "members.manage",
  revalidate: "/users",
  input: z.object({ userId: memberIdField }),
  stepUp: onMember("remove the two-factor authentication of"),
  check: async (ctx, input) => {
    const member = await visibleMember(ctx.db, ctx, input.userId);
    if (member.id === ctx.user.id) refuse("Manage your own two-factor authentication on Personal Account.");
    if (member.ssoSubject) refuse("This member signs in through your identity provider, which owns their multi-factor authentication.");
    if (!member.totpEnabledAt) refuse("This member does not use two-factor authentication.");
  },
  run: async (ctx, input) => {
    const member = await visibleMember(ctx.tx, ctx, input.userId, true);
    if (!member.totpEnabledAt) refuse("This member does not use two-factor authentication.");
    await ctx.tx
      .update(users)
      .set({ totpSecretEncrypted: null, totpPendingSecretEncrypted: null, totpEnabledAt: null, totpLastTimeStep: null })
      .where(eq(users.id, member.id));
    await ctx.tx.delete(backupCodes).where(eq(backupCodes.userId, member.id));
    // As a disable does: whoever holds the lost device may hold a session or a sign-in half done too.
    await deleteUserSessions(ctx.tx, member.id);
    await deletePendingSignIns(ctx.tx, member.id);
    await enqueueEmail(ctx.tx, { accountId: member.accountId, to: member.email, kind: "security-notice", ...twoFactorRemovedEmail({ byAdmin: true }) });
    await ctx.audit({ action: "two_factor.removed_by_admin", target: { type: "user", id: member.id }, details: { email: member.email } });
    return { email: member.email };
  },
});

// T5: a primary user sends a member the password-reset email.
export const sendMemberPasswordReset = defineAction({
  name: "password.reset_sent",
  permission: "members.manage",
  input: z.object({ userId: memberIdField }),
  run: async (ctx, input) => {
    const member = await visibleMember(ctx.tx, ctx, input.userId);
    if (member.status !== "active") refuse("Only active members can reset their password.");
    if (!member.passwordHash || member.ssoSubject) refuse("This member signs in through your identity provider.");
    await sendPasswordReset(ctx.tx, member, ctx.user.id);
    await ctx.audit({ action: "password.reset_sent_by_admin", target: { type: "user", id: member.id }, details: { email: member.email } });
    return { email: member.email };
  },
});

// I1: "Allow non-members to invoke @<product> in Slack" (step-up).
export const setSlackNonMembers = defineAction({
  name: "slack.non_members",
  permission: "integrations.manage",
  revalidate: "/users",
  input: z.object({ allow: z.boolean() }),
  stepUp: (input) => ({ targetId: "slack", label: input.allow ? "allow non-members in Slack" : "stop non-members in Slack" }),
  run: async ({ tx, user, audit }, input) => {
    const updated = await tx
      .update(slackConnections)
      .set({ allowNonMembers: input.allow })
      .where(eq(slackConnections.accountId, user.accountId))
      .returning({ teamId: slackConnections.teamId });
    if (updated.length === 0) refuse("No Slack workspace is connected to this account.");
    await audit({ action: "slack.non_members_changed", target: { type: "slack_team", id: updated[0].teamId }, details: { allowNonMembers: input.allow } });
    return input;
  },
});
