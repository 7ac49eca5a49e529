import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { findSubscription, listApplications, setSubscriptionExpiry } from "@/db/queries/apps";
import { countOtherActiveAdmins } from "@/db/queries/members";
import { findRoleGrant, setRoleGrantExpiry } from "@/db/queries/roles";
import { setMembershipExpiry } from "@/db/queries/expiry";
import { findUnit } from "@/db/queries/units";
import { accounts } from "@/db/schema";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import { ADMIN_ROLE, holdsAdminRole } from "@/lib/auth/permissions";
import { canGrant, type Principal } from "@/lib/auth/principal";
import { now } from "@/lib/clock";
import { assertOutranks, visibleMemberOrRefuse } from "@/lib/team/members";
import { roleChoices } from "@/lib/team/roles";
import { formatExpiry } from "./format";
import { futureExpiry } from "./validate";

/** A5: what can expire — the membership itself, one of the member's roles, or an application subscription. */
export type ExpiryTarget = { kind: "membership" } | { kind: "role"; role: string; unitId?: string | null } | { kind: "app"; appKey: string };

/** The permission that governs each kind of thing that expires (its console action asks the same). */
const GOVERNED_BY = { membership: "members.manage", role: "roles.assign", app: "apps.manage" } as const;

export type ExpiryChange = {
  userId: string;
  target: ExpiryTarget;
  /** ISO 8601; null removes the expiry. */
  expiresAt: string | null;
  /** Renewing pushes an existing expiry later (and gives back access that has just ended). */
  renew?: boolean;
};

export const KEEP_AN_ADMIN = "An account must keep at least one active Admin whose access does not expire.";

/** The thing an expiry is set on, as it stands, or a refusal saying why not. */
async function resolveTarget(db: Executor, principal: Principal, member: { id: string; name: string; email: string; accessExpiresAt: Date | null }, target: ExpiryTarget) {
  const who = member.name || member.email;
  if (target.kind === "membership") {
    if (member.id === principal.id) refuse("You cannot set an expiry on your own membership.");
    return { label: `the membership of ${who}`, what: { type: "membership" as const }, expiresAt: member.accessExpiresAt, isAdminRole: false, id: member.id };
  }
  if (target.kind === "role") {
    const choice = (await roleChoices(db, principal.accountId)).find((role) => role.key === target.role);
    const unit = target.unitId ? await findUnit(db, principal.accountId, target.unitId) : null;
    const grant = choice && (!target.unitId || unit) && (await findRoleGrant(db, member.id, { key: choice.key, custom: choice.custom }, unit?.id ?? null));
    if (!choice || !grant) refuse(`${who} does not hold that role.`, "not_found");
    // A3: nobody changes how long someone holds a role they could not give (A4: there).
    if (!canGrant(principal, choice, unit ? { accountId: principal.accountId, units: unit.line } : undefined)) {
      refuse(`You cannot change the ${choice.name} role${unit ? ` on ${unit.name}` : ""}: it has permissions you do not hold.`, "forbidden");
    }
    const name = unit ? `${choice.name} on ${unit.name}` : choice.name;
    // Admin on a unit is not the account's Admin (A4): only the account-wide grant keeps one.
    return { label: `the ${name} role of ${who}`, what: { type: "role" as const, role: name }, expiresAt: grant.expiresAt, isAdminRole: choice.key === ADMIN_ROLE && !unit, id: grant.id };
  }
  const app = (await listApplications(db)).find((entry) => entry.key === target.appKey);
  const subscription = app && (await findSubscription(db, member.id, app.id, true));
  if (!app || !subscription) refuse(`${who} is not subscribed to that application.`, "not_found");
  return { label: `${who}'s access to ${app.name}`, what: { type: "app" as const, app: app.key }, expiresAt: subscription.expiresAt, isAdminRole: false, id: subscription.id };
}

/**
 * Everything an expiry change must satisfy, before a code is sent and again under the
 * account's lock: the member is the principal's to manage, the date is ahead (and, to
 * renew, later than the current one), and the account keeps an Admin whose access does
 * not expire. Returns the target and the words for it.
 */
export async function planExpiryChange(db: Executor, principal: Principal, input: ExpiryChange, lock = false) {
  const member = await visibleMemberOrRefuse(db, principal, input.userId, GOVERNED_BY[input.target.kind], lock);
  const roles = await assertOutranks(db, principal, member, "change the access of");
  const target = await resolveTarget(db, principal, member, input.target);
  const at = now();
  const after = input.expiresAt === null ? null : futureExpiry(input.expiresAt, at);
  if (after) {
    const givesAdmin = target.isAdminRole || (input.target.kind === "membership" && holdsAdminRole(roles));
    if (givesAdmin && (await countOtherActiveAdmins(db, principal.accountId, member.id, { at, permanent: true })) === 0) refuse(KEEP_AN_ADMIN);
  }
  if (input.renew) {
    if (!target.expiresAt) refuse(`${capitalise(target.label)} does not expire: there is nothing to renew.`);
    if (!after || after.getTime() <= target.expiresAt.getTime()) refuse(`Renew until a time after the current expiry (${formatExpiry(target.expiresAt)}).`, "invalid");
  }
  return { member, target, before: target.expiresAt, after };
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** How the step-up code names the change ("renew the Developer role of Sam Lee until 1 Mar 2027, 09:00 UTC"). */
export async function describeExpiryChange(db: Executor, principal: Principal, input: ExpiryChange) {
  const { target } = await planExpiryChange(db, principal, input);
  if (input.expiresAt === null) return `remove the expiry of ${target.label}`;
  return `${input.renew ? "renew" : "set an expiry on"} ${target.label} ${input.renew ? "until" : "at"} ${formatExpiry(new Date(input.expiresAt))}`;
}

/**
 * A5: sets, changes, removes or renews when a membership, a role or an application
 * subscription ends (step-up, audited with before and after). Effective on the member's
 * next request: the principal's query reads the new time.
 */
export async function setAccessExpiry(tx: Executor, actor: Actor, input: ExpiryChange) {
  const { principal } = actor;
  // Serialises changes that could leave the account without an Admin (as role changes do).
  await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, principal.accountId)).for("no key update");
  const { member, target, before, after } = await planExpiryChange(tx, principal, input, true);
  if (target.what.type === "membership") await setMembershipExpiry(tx, member.id, after);
  else if (target.what.type === "role") await setRoleGrantExpiry(tx, target.id, after);
  else await setSubscriptionExpiry(tx, target.id, after);
  const action = after === null ? "access.expiry_removed" : input.renew ? "access.renewed" : "access.expiry_set";
  await recordAuditBy(tx, actor, {
    action,
    target: { type: "user", id: member.id },
    details: { email: member.email, ...target.what, before: before?.toISOString() ?? null, after: after?.toISOString() ?? null },
  });
  return { label: target.label, expiresAt: after?.toISOString() ?? null };
}
