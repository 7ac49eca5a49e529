import type { Executor, Tx } from "@/db/client";
import { completeReviewIfDecided, findReviewLine, recordReviewDecision } from "@/db/queries/reviews";
import { rolesOfMember } from "@/db/queries/roles";
import type { AccessReviewLine, ReviewDecision } from "@/db/schema";
import { refuse } from "@/lib/actions/refusal";
import type { Actor } from "@/lib/actions/actor";
import { unsubscribeMember } from "@/lib/apps/access";
import { recordAuditBy } from "@/lib/audit";
import { grantLabel } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { now } from "@/lib/clock";
import { NOT_REVOCABLE, pendingInvitee, revokeInvitation } from "@/lib/team/invitations";
import { checkDisable, disableMember, visibleMemberOrRefuse } from "@/lib/team/members";
import { planRoleChange, setMemberRoles } from "@/lib/team/roles";
import { maySeeLine } from "./campaigns";
import { REVIEW_DECISIONS } from "./lines";

export const NO_SUCH_LINE = "No such line in this access review.";

export type DecisionInput = { lineId: string; decision: ReviewDecision; roles?: readonly string[] };

/** The line, when the principal may see it and it is still to decide. */
export async function openLineOrRefuse(db: Executor, principal: Principal, lineId: string, lock = false) {
  const line = await findReviewLine(db, principal.accountId, lineId, lock);
  if (!line || !maySeeLine(principal, line)) refuse(NO_SUCH_LINE, "not_found");
  if (line.decision) refuse(`This line was decided already (${REVIEW_DECISIONS[line.decision]}, by ${line.decidedByName}).`);
  return line;
}

const who = (line: AccessReviewLine) => line.name || line.email;

/**
 * What Revoke does to the thing a line is about, as the console's own operation takes it:
 * an invitation is revoked; a role grant is taken away (the member's other roles stay); an
 * application subscription ends. A line about the person has nothing to revoke.
 */
async function revocation(db: Executor, line: AccessReviewLine & { userId: string }) {
  const subject = line.subject;
  if (subject.kind === "invitation") return { kind: "invitation" as const, label: `revoke the invitation for ${line.email}` };
  if (subject.kind === "app") return { kind: "app" as const, appKey: subject.appKey, label: `end ${who(line)}'s access to ${subject.appName}` };
  if (subject.kind !== "role") refuse("Nothing on this line can be revoked: disable them or change their roles instead.", "invalid");
  const held = await rolesOfMember(db, line.userId);
  const grant = held.find((role) => role.key === subject.role && (role.unit?.id ?? null) === subject.unitId);
  if (!grant) refuse(`${who(line)} no longer holds that role: mark the line Keep.`);
  const roles = held.filter((role) => !role.unit && role !== grant).map((role) => role.key);
  const unitRoles = held.filter((role) => role.unit && role !== grant).map((role) => ({ role: role.key, unitId: role.unit!.id }));
  return { kind: "role" as const, roles, unitRoles, label: `take the ${grantLabel(grant)} role from ${who(line)}` };
}

/**
 * Checks a decision before a step-up code is sent (so nobody verifies what cannot run),
 * and says what the code confirms. Each check is the console operation's own.
 */
export async function checkDecision(db: Executor, principal: Principal, input: DecisionInput) {
  const line = await openLineOrRefuse(db, principal, input.lineId);
  if (input.decision === "keep") return { label: `keep ${who(line)}` };
  if (!line.userId) refuse(`${who(line)} is no longer in the account: mark the line Keep.`);
  const member = { ...line, userId: line.userId };
  if (input.decision === "disable") {
    await checkDisable(db, principal, line.userId);
    return { label: `disable ${who(line)}` };
  }
  if (input.decision === "change_role") {
    await planRoleChange(db, principal, { userId: line.userId, roles: input.roles ?? [] });
    return { label: `change the roles of ${who(line)}` };
  }
  const revoke = await revocation(db, member);
  if (revoke.kind === "invitation") await pendingInvitee(db, principal, line.userId, NOT_REVOCABLE);
  if (revoke.kind === "role") await planRoleChange(db, principal, { userId: line.userId, roles: revoke.roles, unitRoles: revoke.unitRoles });
  if (revoke.kind === "app") await visibleMemberOrRefuse(db, principal, line.userId, "apps.manage");
  return { label: revoke.label };
}

/** Runs the decision through the console's operation (which audits itself) and says what it did. */
async function carryOut(tx: Tx, actor: Actor, line: AccessReviewLine, input: DecisionInput): Promise<string> {
  if (input.decision === "keep") return "Kept as it is.";
  if (!line.userId) refuse(`${who(line)} is no longer in the account: mark the line Keep.`);
  const userId = line.userId;
  if (input.decision === "disable") {
    await disableMember(tx, actor, { userId });
    return "Disabled.";
  }
  if (input.decision === "change_role") {
    const changed = await setMemberRoles(tx, actor, { userId, roles: input.roles ?? [] });
    return `Roles now: ${changed.after.join(", ")}.`;
  }
  const revoke = await revocation(tx, { ...line, userId });
  if (revoke.kind === "invitation") {
    await revokeInvitation(tx, actor, { userId });
    return "Invitation revoked.";
  }
  if (revoke.kind === "app") {
    const { app } = await unsubscribeMember(tx, actor, { userId, appKey: revoke.appKey });
    return `Access to ${app} ended.`;
  }
  const changed = await setMemberRoles(tx, actor, { userId, roles: revoke.roles, unitRoles: revoke.unitRoles });
  return `Role taken away; roles now: ${changed.after.join(", ") || "none"}.`;
}

/**
 * O3: decides a line — Keep, or Disable / Change role / Revoke through the same operation
 * the console runs (its checks, its audit event) — records who decided what and when, and
 * completes the campaign when it was the last line. One transaction: all of it or none.
 */
export async function decideReviewLine(tx: Tx, actor: Actor, input: DecisionInput) {
  const { principal } = actor;
  const line = await openLineOrRefuse(tx, principal, input.lineId, true);
  const outcome = await carryOut(tx, actor, line, input);
  const at = now();
  await recordReviewDecision(tx, line.id, { decision: input.decision, outcome, decidedBy: principal.id, decidedByName: principal.name || principal.email, decidedAt: at });
  await recordAuditBy(tx, actor, {
    action: "review.line_decided",
    target: { type: "access_review", id: line.reviewId },
    details: { lineId: line.id, email: line.email, reason: line.reason, decision: input.decision, outcome },
  });
  const completed = await completeReviewIfDecided(tx, line.reviewId, at);
  if (completed) await recordAuditBy(tx, actor, { action: "review.completed", target: { type: "access_review", id: line.reviewId }, details: {} });
  return { decision: input.decision, outcome, completed };
}
