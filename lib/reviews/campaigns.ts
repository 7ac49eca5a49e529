import type { Executor } from "@/db/client";
import { customRolePermissions, findReviewCandidates, insertReview, reviewPolicyOf, type NewReviewLine } from "@/db/queries/reviews";
import { refuse } from "@/lib/actions/refusal";
import type { Actor } from "@/lib/actions/actor";
import { recordAuditBy } from "@/lib/audit";
import { SYSTEM_ROLE_KEYS, SYSTEM_ROLES } from "@/lib/auth/permissions";
import { can, refusalFor, type Principal } from "@/lib/auth/principal";
import { now } from "@/lib/clock";
import { administrationOf, EXPIRING_WITHIN_DAYS, INVITATION_OLD_AFTER_DAYS, linesFor } from "./lines";

const DAY_MS = 86_400_000;

/** The roles, by key or custom ID, that confer any administration permission (those a review lists). */
async function administeringRoles(db: Executor, accountId: string) {
  const system = SYSTEM_ROLE_KEYS.filter((key) => administrationOf({ permissions: SYSTEM_ROLES[key].permissions }).length > 0);
  const custom = (await customRolePermissions(db, accountId)).filter((role) => administrationOf(role).length > 0).map((role) => role.id);
  return [...system, ...custom];
}

/** O3: the lines a review started at `at` would hold, for the whole account. */
export async function proposeReviewLines(db: Executor, accountId: string, input: { at: Date; inactiveDays: number }): Promise<NewReviewLine[]> {
  const { at, inactiveDays } = input;
  const { policy } = await reviewPolicyOf(db, accountId);
  const candidates = await findReviewCandidates(db, accountId, {
    at,
    inactiveBefore: new Date(at.getTime() - inactiveDays * DAY_MS),
    invitedBefore: new Date(at.getTime() - INVITATION_OLD_AFTER_DAYS * DAY_MS),
    expiringUntil: new Date(at.getTime() + EXPIRING_WITHIN_DAYS * DAY_MS),
    adminRoles: await administeringRoles(db, accountId),
    withoutTwoFactor: policy.enforceTwoFactor,
  });
  return candidates.flatMap((member) =>
    linesFor(member, { at, inactiveDays, policy }).map((line) => ({ ...line, userId: member.id, email: member.email, name: member.name, unitLine: member.unitLine })),
  );
}

/** O3: starts a campaign — a snapshot of what to look at now — and audits it. */
export async function startReview(tx: Executor, actor: Actor, input: { name: string; inactiveDays: number }) {
  const { principal } = actor;
  if (!can(principal, "reviews.manage")) refuse("Your roles do not allow this (run access reviews).", "forbidden");
  const at = now();
  const lines = await proposeReviewLines(tx, principal.accountId, { at, inactiveDays: input.inactiveDays });
  const review = await insertReview(
    tx,
    { accountId: principal.accountId, name: input.name, inactiveDays: input.inactiveDays, startedBy: principal.id, startedByName: principal.name || principal.email, startedAt: at },
    lines,
  );
  await recordAuditBy(tx, actor, { action: "review.started", target: { type: "access_review", id: review.id }, details: { name: input.name, inactiveDays: input.inactiveDays, lines: lines.length } });
  return { reviewId: review.id, lines: lines.length };
}

/** A4, T6: whether the principal may see the member a line is about (as they were when it was taken). */
export function maySeeLine(principal: Principal, line: { accountId: string; email: string; unitLine: readonly string[] }) {
  return refusalFor(principal, "members.read", { accountId: line.accountId, email: line.email, units: line.unitLine }) === null;
}
