import type { Executor } from "@/db/client";
import { addUnitMember, removeUnitMember } from "@/db/queries/units";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import { refusalFor, type Principal } from "@/lib/auth/principal";
import { visibleMemberOrRefuse } from "@/lib/team/members";
import { NO_SUCH_UNIT, unitOrRefuse, unitScope } from "./units";

/**
 * A4: a member and a unit, both the principal's to manage: the member within the units
 * their "Manage members" reaches, and the unit too — a unit administrator puts people only
 * in units of their own, and takes them only out of those.
 */
export async function planMembership(db: Executor, principal: Principal, input: { userId: string; unitId: string }, lock = false) {
  const member = await visibleMemberOrRefuse(db, principal, input.userId, "members.manage", lock);
  const unit = await unitOrRefuse(db, principal.accountId, input.unitId);
  const refusal = refusalFor(principal, "members.manage", unitScope(unit));
  if (refusal) refuse(refusal.code === "not_found" ? NO_SUCH_UNIT : `You can put people in, and take them out of, only the units you administer.`, refusal.code);
  return { member, unit };
}

/** A4: puts a member in a unit (they may belong to several). */
export async function addMemberToUnit(tx: Executor, actor: Actor, input: { userId: string; unitId: string }) {
  const { member, unit } = await planMembership(tx, actor.principal, input, true);
  const who = member.name || member.email;
  if (!(await addUnitMember(tx, unit.id, member.id))) refuse(`${who} is already in ${unit.name}.`);
  await recordAuditBy(tx, actor, { action: "unit.member_added", target: { type: "user", id: member.id }, details: { email: member.email, unit: unit.name, unitId: unit.id } });
  return { who, unit: unit.name };
}

/**
 * A4: takes a member out of a unit. Whoever administers only that unit no longer sees them
 * afterwards — the same as if they had never been in it.
 */
export async function removeMemberFromUnit(tx: Executor, actor: Actor, input: { userId: string; unitId: string }) {
  const { member, unit } = await planMembership(tx, actor.principal, input, true);
  const who = member.name || member.email;
  if (!(await removeUnitMember(tx, unit.id, member.id))) refuse(`${who} is not in ${unit.name}.`);
  await recordAuditBy(tx, actor, { action: "unit.member_removed", target: { type: "user", id: member.id }, details: { email: member.email, unit: unit.name, unitId: unit.id } });
  return { who, unit: unit.name };
}
