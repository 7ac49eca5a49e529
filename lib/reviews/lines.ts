import type { ReviewCandidate } from "@/db/queries/reviews";
import type { NewReviewLine } from "@/db/queries/reviews";
import type { ReviewDecision, ReviewReason, ReviewSubject } from "@/db/schema";

export type { ReviewDecision, ReviewReason, ReviewSubject };
import { grantLabel, holdsAdminRole, isPermission, PERMISSIONS, resolveRoles, unitScopedPermissionsOf, type Permission } from "@/lib/auth/permissions";
import { twoFactorGate, type TwoFactorPolicy } from "@/lib/auth/two-factor-policy";
import { formatExpiry, formatExpiryDate } from "@/lib/expiry/format";

export const DEFAULT_INACTIVE_DAYS = 90;
export const INVITATION_OLD_AFTER_DAYS = 30;
export const EXPIRING_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;

export const REVIEW_REASONS: Record<ReviewReason, string> = {
  admin: "Administers",
  inactive: "Inactive",
  expiring: "Access expiring",
  no_two_factor: "No 2FA past the grace period",
  old_invitation: "Old invitation",
};

export const REVIEW_DECISIONS: Record<ReviewDecision, string> = { keep: "Keep", disable: "Disable", change_role: "Change role", revoke: "Revoke" };

/** The administration permissions a grant confers (A4: on a unit, only what it confers there). */
export function administrationOf(grant: { permissions: readonly string[]; unit?: unknown }): Permission[] {
  const held = grant.unit ? unitScopedPermissionsOf(grant) : grant.permissions.filter(isPermission);
  return held.filter((permission) => PERMISSIONS[permission].group === "Administration");
}

const daysAgo = (at: Date, then: Date) => Math.floor((at.getTime() - then.getTime()) / DAY_MS);

export type LineContext = { at: Date; inactiveDays: number; policy: TwoFactorPolicy };
export type ProposedLine = Pick<NewReviewLine, "reason" | "why" | "subject">;

/**
 * O3: what a careful admin should look at about one member, each line saying why: every
 * grant that confers administration (Admin, a custom or unit role with administration
 * permissions), no activity for `inactiveDays`, access expiring within 30 days, no 2FA
 * past enforcement's grace period, an invitation open for more than 30 days.
 */
export function linesFor(member: ReviewCandidate, { at, inactiveDays, policy }: LineContext): ProposedLine[] {
  const lines: ProposedLine[] = [];
  const roles = resolveRoles(member.roles);
  for (const role of roles) {
    const administration = administrationOf(role);
    if (administration.length === 0) continue;
    const subject: ReviewSubject = { kind: "role", role: role.key, custom: role.custom, unitId: role.unit?.id ?? null };
    const why =
      holdsAdminRole([role])
        ? "Admin for the whole account: everything, including security policy and every other Admin."
        : `${grantLabel(role)} gives administration: ${administration.map((p) => PERMISSIONS[p].label.toLowerCase()).join(", ")}${role.unit ? ` in ${role.unit.name} and the units below it` : ""}.`;
    lines.push({ reason: "admin", why, subject });
  }
  if (member.status === "active") {
    const seen = member.lastActiveAt ?? null;
    const since = seen ?? member.createdAt;
    if (daysAgo(at, since) >= inactiveDays) {
      const why = seen ? `Last active ${formatExpiryDate(seen)}, ${daysAgo(at, seen)} days ago (more than ${inactiveDays}).` : `Never active since joining on ${formatExpiryDate(member.createdAt)} (more than ${inactiveDays} days ago).`;
      lines.push({ reason: "inactive", why, subject: { kind: "person" } });
    }
    if (!member.twoFactorEnabled && twoFactorGate(policy, { roles, twoFactorEnabled: false }, at).state === "required") {
      lines.push({ reason: "no_two_factor", why: "Two-factor authentication is required of them and its grace period is over, but they have not set it up.", subject: { kind: "person" } });
    }
  }
  if (member.status === "invited" && daysAgo(at, member.createdAt) >= INVITATION_OLD_AFTER_DAYS) {
    lines.push({ reason: "old_invitation", why: `Invited ${formatExpiryDate(member.createdAt)}, ${daysAgo(at, member.createdAt)} days ago, and not accepted.`, subject: { kind: "invitation" } });
  }
  const until = at.getTime() + EXPIRING_WITHIN_DAYS * DAY_MS;
  const soon = (when: Date) => when.getTime() > at.getTime() && when.getTime() <= until;
  if (member.accessExpiresAt && soon(member.accessExpiresAt)) {
    lines.push({ reason: "expiring", why: `Membership expires ${formatExpiry(member.accessExpiresAt)}.`, subject: { kind: "membership" } });
  }
  for (const grant of member.expiringGrants) {
    const name = grant.custom ? grant.name : (roles.find((role) => role.key === grant.role)?.name ?? grant.name);
    const label = grantLabel({ name, unit: grant.unitName ? { name: grant.unitName } : null });
    lines.push({ reason: "expiring", why: `The ${label} role expires ${formatExpiry(grant.expiresAt)}.`, subject: { kind: "role", role: grant.role, custom: grant.custom, unitId: grant.unitId } });
  }
  for (const subscription of member.expiringSubscriptions) {
    lines.push({ reason: "expiring", why: `Access to ${subscription.appName} expires ${formatExpiry(subscription.expiresAt)}.`, subject: { kind: "app", appKey: subscription.appKey, appName: subscription.appName } });
  }
  return lines;
}

/** The decisions a line offers: Revoke only when it is about something revocable (a grant, a subscription, an invitation). */
export function decisionsFor(line: { subject: ReviewSubject }, status: "invited" | "active" | "disabled" | null): ReviewDecision[] {
  const revocable = line.subject.kind === "role" || line.subject.kind === "app" || line.subject.kind === "invitation";
  if (status === null) return ["keep"];
  return [
    "keep",
    ...(status === "active" ? (["disable"] as const) : []),
    ...(status !== "disabled" ? (["change_role"] as const) : []),
    ...(revocable ? (["revoke"] as const) : []),
  ];
}
