"use server";

import { z } from "zod";
import { defineAction, type ActionContext } from "@/lib/actions/define-action";
import type { Permission } from "@/lib/auth/permissions";
import { approveJoinRequest, declineJoinRequest } from "@/lib/connections/join";
import { checkInvite, inviteMember as invite, NOT_RESENDABLE, NOT_REVOCABLE, pendingInvitee, resendInvitation as resend, revokeInvitation as revoke } from "@/lib/team/invitations";
import {
  checkDisable,
  checkEnable,
  checkRemoveTwoFactor,
  disableMember as disable,
  enableMember as enable,
  removeMemberTwoFactor as removeTwoFactor,
  sendMemberPasswordReset as sendReset,
  visibleMemberOrRefuse,
} from "@/lib/team/members";
import { planRoleChange, setMemberRoles as setRoles } from "@/lib/team/roles";
import { emailField, expiryField, memberIdField, nameField, optionalUnitField, roleListField, unitRolesField } from "@/lib/team/schemas";
import { setExpiryWarningDays as setWarningDays, WARNING_DAYS_MAX } from "@/lib/expiry/settings";
import { checkEnforcement, setTwoFactorEnforcement as setEnforcement } from "@/lib/team/security-policy";
import { createWorkstation } from "@/lib/team/workstations";
import { formatExpiry } from "@/lib/expiry/format";

// Console actions bind the member operations of lib/team (the API binds the same ones).
/** The step-up binding of an action on one member, worded with who it is ("disable Sam Lee"). */
const onMember = (verb: string, permission: Permission) => async (input: { userId: string }, ctx: ActionContext) => {
  const member = await visibleMemberOrRefuse(ctx.db, ctx.user, input.userId, permission);
  return { targetId: input.userId, label: `${verb} ${member.name || member.email}` };
};
/** The same for a pending invitation, worded with the address its link goes to. */
const onInvitee = (words: string, refusal: string) => async (input: { userId: string }, ctx: ActionContext) => {
  const member = await pendingInvitee(ctx.db, ctx.user, input.userId, refusal);
  return { targetId: member.id, label: `${words} ${member.email}` };
};
const memberInput = z.object({ userId: memberIdField });

// T2: invite (step-up), resend, revoke.
export const inviteMember = defineAction({
  name: "member.invite",
  permission: "members.invite",
  revalidate: "/users",
  input: z.object({ email: emailField, name: nameField.default(""), roles: roleListField, unitId: optionalUnitField, accessExpiresAt: expiryField.nullable().default(null) }),
  stepUp: (input) => ({ targetId: input.email, label: `invite ${input.email}${input.accessExpiresAt ? ` until ${formatExpiry(input.accessExpiresAt)}` : ""}` }),
  check: (ctx, input) => checkInvite(ctx.db, ctx.actor, input),
  run: (ctx, input) => invite(ctx.tx, ctx.actor, input),
});

// S1: a resend mails a fresh, working join link — an invitation like invite's — so both it
// and revoke need a code, worded with the address the link goes to.
export const resendInvitation = defineAction({
  name: "invitation.resend",
  permission: "members.invite",
  revalidate: "/users",
  input: memberInput,
  stepUp: onInvitee("resend the invitation to", NOT_RESENDABLE),
  run: (ctx, input) => resend(ctx.tx, ctx.actor, input),
});

export const revokeInvitation = defineAction({
  name: "invitation.revoke",
  permission: "members.invite",
  revalidate: "/users",
  input: memberInput,
  stepUp: onInvitee("revoke the invitation for", NOT_REVOCABLE),
  run: (ctx, input) => revoke(ctx.tx, ctx.actor, input),
});

// A3: a shared workstation for a place (step-up: it is a new sign-in, like an invitation).
export const addWorkstation = defineAction({
  name: "workstation.create",
  permission: "members.invite",
  revalidate: "/users",
  input: z.object({
    name: nameField.pipe(z.string().min(1, "Name the workstation, e.g. Front desk — Plant 2.")),
    location: z.string({ error: "Say where it stands." }).trim().min(1, "Say where it stands.").max(200, "At most 200 characters."),
    unitId: optionalUnitField,
  }),
  stepUp: (input) => ({ targetId: "new", label: `create the shared workstation "${input.name}"` }),
  run: (ctx, input) => createWorkstation(ctx.tx, ctx.actor, input),
});

// T3: disable / enable (both step-up).
export const disableMember = defineAction({
  name: "member.disable",
  permission: "members.manage",
  revalidate: "/users",
  input: memberInput,
  stepUp: onMember("disable", "members.manage"),
  check: (ctx, input) => checkDisable(ctx.db, ctx.user, input.userId),
  run: async (ctx, input) => ({ email: (await disable(ctx.tx, ctx.actor, input)).email }),
});

export const enableMember = defineAction({
  name: "member.enable",
  permission: "members.manage",
  revalidate: "/users",
  input: memberInput,
  stepUp: onMember("enable", "members.manage"),
  check: (ctx, input) => checkEnable(ctx.db, ctx.user, input.userId),
  run: async (ctx, input) => ({ email: (await enable(ctx.tx, ctx.actor, input)).email }),
});

// A3: a member's roles (step-up), effective on their next request; A4: and those on units.
export const setMemberRoles = defineAction({
  name: "member.roles",
  permission: "roles.assign",
  revalidate: "/users",
  input: z.object({ userId: memberIdField, roles: roleListField, unitRoles: unitRolesField.optional(), expiresAt: expiryField.nullable().default(null) }),
  stepUp: onMember("change the roles of", "roles.assign"),
  check: async (ctx, input) => void (await planRoleChange(ctx.db, ctx.user, input)),
  run: (ctx, input) => setRoles(ctx.tx, ctx.actor, input),
});

// P4: org-wide "Enforce 2FA" (step-up), for everyone or for chosen roles.
export const setTwoFactorEnforcement = defineAction({
  name: "two_factor.enforcement",
  permission: "security.manage",
  revalidate: "/users",
  input: z.object({
    enabled: z.boolean(),
    graceDays: z.coerce.number({ error: "Enter a number of days." }).int("Enter whole days.").min(0, "At least 0 days.").max(90, "At most 90 days."),
    audience: z.enum(["everyone", "roles"], { error: "Choose who must use 2FA." }),
    roles: z.array(z.string().max(64)).max(100).default([]),
  }),
  stepUp: (input) => ({ targetId: "account", label: input.enabled ? "turn on 2FA enforcement" : "turn off 2FA enforcement" }),
  check: async (ctx, input) => checkEnforcement(ctx.actor, input),
  run: (ctx, input) => setEnforcement(ctx.tx, ctx.actor, input),
});

// A5: how many days before their access ends people are warned (step-up).
export const setExpiryWarningDays = defineAction({
  name: "access.warning_days",
  permission: "security.manage",
  revalidate: "/users",
  input: z.object({
    days: z.coerce.number({ error: "Enter a number of days." }).int("Enter whole days.").min(1, "At least 1 day.").max(WARNING_DAYS_MAX, `At most ${WARNING_DAYS_MAX} days.`),
  }),
  stepUp: (input) => ({ targetId: "account", label: `warn people ${input.days} ${input.days === 1 ? "day" : "days"} before their access expires` }),
  run: (ctx, input) => setWarningDays(ctx.tx, ctx.actor, input),
});

// T5: a member lost their 2FA device (step-up); their sessions end.
export const removeMemberTwoFactor = defineAction({
  name: "two_factor.remove",
  permission: "members.manage",
  revalidate: "/users",
  input: memberInput,
  stepUp: onMember("remove the two-factor authentication of", "members.manage"),
  check: (ctx, input) => checkRemoveTwoFactor(ctx.db, ctx.user, input.userId),
  run: (ctx, input) => removeTwoFactor(ctx.tx, ctx.actor, input),
});

// T5: the password-reset email.
export const sendMemberPasswordReset = defineAction({
  name: "password.reset_sent",
  permission: "members.manage",
  input: memberInput,
  run: (ctx, input) => sendReset(ctx.tx, ctx.actor, input),
});

// B5: people of a verified domain that joins by approval, waiting in the team table
// (members.invite: letting someone in is what an invitation does).
export const approveJoinRequestAction = defineAction({
  name: "join.approve",
  permission: "members.invite",
  revalidate: "/users",
  input: z.object({ requestId: z.uuid() }),
  run: (ctx, input) => approveJoinRequest(ctx.tx, ctx.actor, input),
});

export const declineJoinRequestAction = defineAction({
  name: "join.decline",
  permission: "members.invite",
  revalidate: "/users",
  input: z.object({ requestId: z.uuid() }),
  run: (ctx, input) => declineJoinRequest(ctx.tx, ctx.actor, input),
});
