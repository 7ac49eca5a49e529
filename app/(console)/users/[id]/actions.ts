"use server";

import { z } from "zod";
import type { Tx } from "@/db/client";
import { defineAction, type ActionContext } from "@/lib/actions/define-action";
import { setMemberAppRoles, subscribeMember, unsubscribeMember } from "@/lib/apps/access";
import { checkEndMemberSessions, endMemberSessions as endSessionsOf } from "@/lib/sessions";
import { describeExpiryChange, planExpiryChange, setAccessExpiry, type ExpiryChange } from "@/lib/expiry/access";
import { addMemberToUnit, planMembership, removeMemberFromUnit } from "@/lib/org-units/members";
import { visibleMemberOrRefuse } from "@/lib/team/members";
import { anonymiseMember as anonymise, checkAnonymise, checkDelete, checkTransfer, deleteMember as removeMember, transferOwnership } from "@/lib/team/leaving";
import { planMemberProperties, setMemberProperties } from "@/lib/properties/properties";
import { expiryField, memberIdField, unitIdField } from "@/lib/team/schemas";

// A8: application access of one member (audited; the member page binds these).
const appKey = z.string({ error: "Choose an application." }).min(1, "Choose an application.").max(64);

export const subscribeToApp = defineAction({
  name: "app.subscribe",
  permission: "apps.manage",
  input: z.object({ userId: memberIdField, appKey }),
  run: (ctx, input) => subscribeMember(ctx.tx, ctx.actor, input),
});

// A5: given with an end — setting when access ends asks "Verify it's you", as later on does.
export const subscribeToAppUntil = defineAction({
  name: "app.subscribe_until",
  permission: "apps.manage",
  input: z.object({ userId: memberIdField, appKey, expiresAt: expiryField }),
  stepUp: (input) => ({ targetId: input.userId, label: `give access to ${input.appKey} until ${input.expiresAt.slice(0, 16).replace("T", " ")} UTC` }),
  run: (ctx, input) => subscribeMember(ctx.tx, ctx.actor, input),
});

export const unsubscribeFromApp = defineAction({
  name: "app.unsubscribe",
  permission: "apps.manage",
  input: z.object({ userId: memberIdField, appKey }),
  run: (ctx, input) => unsubscribeMember(ctx.tx, ctx.actor, input),
});

export const setAppRoles = defineAction({
  name: "app.roles",
  permission: "apps.manage",
  input: z.object({ userId: memberIdField, appKey, roles: z.array(z.string().max(64)).max(20) }),
  run: (ctx, input) => setMemberAppRoles(ctx.tx, ctx.actor, input),
});

// B2: an administrator ends every session of a member (step-up; the member is emailed).
export const endMemberSessions = defineAction({
  name: "member.end_sessions",
  permission: "sessions.manage",
  revalidate: "/users",
  input: z.object({ userId: memberIdField }),
  stepUp: async (input, ctx) => {
    const member = await visibleMemberOrRefuse(ctx.db, ctx.user, input.userId, "sessions.manage");
    return { targetId: member.id, label: `end every session of ${member.name || member.email}` };
  },
  check: (ctx, input) => checkEndMemberSessions(ctx.db, ctx.user, input.userId),
  run: (ctx, input) => endSessionsOf(ctx.tx, ctx.actor, input),
});

// A5: when a membership, a role or an application subscription ends — set, changed, removed
// or renewed (step-up, audited). Each is governed by the permission of the thing itself.
const expiryChange = { userId: memberIdField, expiresAt: expiryField.nullable(), renew: z.boolean().default(false) };
type ExpiryInput = { userId: string; expiresAt: string | null; renew: boolean };
const expiryActionParts = <I extends ExpiryInput>(toChange: (input: I) => ExpiryChange) => ({
  revalidate: "/users",
  stepUp: async (input: I, ctx: ActionContext) => ({ targetId: input.userId, label: await describeExpiryChange(ctx.db, ctx.user, toChange(input)) }),
  check: async (ctx: ActionContext, input: I) => void (await planExpiryChange(ctx.db, ctx.user, toChange(input))),
  run: (ctx: ActionContext & { tx: Tx }, input: I) => setAccessExpiry(ctx.tx, ctx.actor, toChange(input)),
});

export const setMembershipExpiry = defineAction({
  name: "access.membership_expiry",
  permission: "members.manage",
  input: z.object(expiryChange),
  ...expiryActionParts((input: ExpiryInput) => ({ ...input, target: { kind: "membership" } })),
});

export const setRoleExpiry = defineAction({
  name: "access.role_expiry",
  permission: "roles.assign",
  input: z.object({ ...expiryChange, role: z.string({ error: "Choose a role." }).min(1).max(64), unitId: unitIdField.nullable().default(null) }),
  ...expiryActionParts((input: ExpiryInput & { role: string; unitId: string | null }) => ({ ...input, target: { kind: "role", role: input.role, unitId: input.unitId } })),
});

export const setAppExpiry = defineAction({
  name: "access.app_expiry",
  permission: "apps.manage",
  input: z.object({ ...expiryChange, appKey }),
  ...expiryActionParts((input: ExpiryInput & { appKey: string }) => ({ ...input, target: { kind: "app", appKey: input.appKey } })),
});

// A4: a member's units (step-up: being in a unit puts them under that unit's administrators).
const membership = z.object({ userId: memberIdField, unitId: unitIdField });

export const addToUnit = defineAction({
  name: "unit.add_member",
  permission: "members.manage",
  revalidate: "/users",
  input: membership,
  stepUp: async (input, ctx) => {
    const { member, unit } = await planMembership(ctx.db, ctx.user, input);
    return { targetId: member.id, label: `put ${member.name || member.email} in ${unit.name}` };
  },
  run: (ctx, input) => addMemberToUnit(ctx.tx, ctx.actor, input),
});

export const removeFromUnit = defineAction({
  name: "unit.remove_member",
  permission: "members.manage",
  revalidate: "/users",
  input: membership,
  stepUp: async (input, ctx) => {
    const { member, unit } = await planMembership(ctx.db, ctx.user, input);
    return { targetId: member.id, label: `take ${member.name || member.email} out of ${unit.name}` };
  },
  run: (ctx, input) => removeMemberFromUnit(ctx.tx, ctx.actor, input),
});

// A7: a member's property values. Step-up, as a unit membership: an access rule may give
// or take a role by them.
export const setProperties = defineAction({
  name: "member.set_properties",
  permission: "members.manage",
  revalidate: "/users",
  input: z.object({ userId: memberIdField, values: z.record(z.uuid(), z.string().max(200)) }),
  stepUp: async (input, ctx) => {
    const member = await planMemberProperties(ctx.db, ctx.actor, input);
    return { targetId: member.id, label: `change the properties of ${member.name || member.email}` };
  },
  run: (ctx, input) => setMemberProperties(ctx.tx, ctx.actor, input),
});

// T4: leaving people. Delete only someone who owns nothing; otherwise hand their resources
// over, or anonymise them (GDPR: the email typed to confirm). All three ask "Verify it's you".
export const deleteMember = defineAction({
  name: "member.delete",
  permission: "members.delete",
  revalidate: "/users",
  input: z.object({ userId: memberIdField }),
  stepUp: async (input, ctx) => {
    const member = await checkDelete(ctx.db, ctx.user, input.userId);
    return { targetId: member.id, label: `delete ${member.name || member.email}` };
  },
  run: (ctx, input) => removeMember(ctx.tx, ctx.actor, input),
});

export const transferResources = defineAction({
  name: "member.transfer_resources",
  permission: "members.delete",
  revalidate: "/users",
  input: z.object({ fromUserId: memberIdField, toUserId: memberIdField, resourceIds: z.array(z.uuid()).min(1).max(1000).nullable() }),
  stepUp: async (input, ctx) => {
    const { from, to } = await checkTransfer(ctx.db, ctx.user, input);
    return { targetId: from.id, label: `hand ${input.resourceIds ? "some" : "all"} of ${from.name || from.email}'s resources to ${to.name || to.email}` };
  },
  run: (ctx, input) => transferOwnership(ctx.tx, ctx.actor, input),
});

export const anonymiseMember = defineAction({
  name: "member.anonymise",
  permission: "members.delete",
  revalidate: "/users",
  input: z.object({ userId: memberIdField, confirmEmail: z.string().trim().max(254) }),
  stepUp: async (input, ctx) => {
    const member = await checkAnonymise(ctx.db, ctx.user, input);
    return { targetId: member.id, label: `anonymise ${member.name || member.email}` };
  },
  run: (ctx, input) => anonymise(ctx.tx, ctx.actor, input),
});
