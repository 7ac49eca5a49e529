import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { countOtherActivePrimaries, findVisibleMember } from "@/db/queries/members";
import { deleteUserSessions } from "@/db/queries/sessions";
import { accounts, users } from "@/db/schema";
import { refuse } from "@/lib/actions/refusal";
import { deletePendingSignIns } from "@/lib/auth/sign-in-grants";
import { config } from "@/lib/config";

/** Who acts on the team: a primary user, through the console or an API key. */
export type MemberActor = { id: string; accountId: string; email: string };

export const NO_SUCH_MEMBER = "No such member in this account.";

/** A1: the member must belong to the actor's own account (and be visible to them, T6). */
export async function visibleMemberOrRefuse(db: Executor, actor: MemberActor, userId: string, lock = false) {
  const member = await findVisibleMember(db, actor, { staffEmailDomain: config().staffEmailDomain }, userId, lock);
  if (!member) refuse(NO_SUCH_MEMBER, "not_found");
  return member;
}

function assertDisableable(actor: MemberActor, member: { id: string; status: string }) {
  if (member.id === actor.id) refuse("You cannot disable your own account.");
  if (member.status !== "active") refuse(member.status === "disabled" ? "This member is already disabled." : "Revoke the invitation instead.");
}

/** Checks before a step-up code is sent. */
export async function checkDisable(db: Executor, actor: MemberActor, userId: string) {
  assertDisableable(actor, await visibleMemberOrRefuse(db, actor, userId));
}

/**
 * T3: disables a member inside the caller's transaction. Access ends at once — every
 * session and sign-in under way goes, and their API keys stop working on their next request — while their
 * content stays.
 */
export async function disableMemberNow(tx: Executor, actor: MemberActor, userId: string) {
  // Serialises changes to the account's primary users, so two admins cannot disable each other at once.
  await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, actor.accountId)).for("update");
  const member = await visibleMemberOrRefuse(tx, actor, userId, true);
  assertDisableable(actor, member);
  if (member.role === "primary" && (await countOtherActivePrimaries(tx, actor.accountId, member.id)) === 0) {
    refuse("An account must keep at least one active primary user.");
  }
  await tx.update(users).set({ status: "disabled", disabledAt: sql`now()` }).where(eq(users.id, member.id));
  await deleteUserSessions(tx, member.id);
  // Else a sign-in waiting at its second step could finish once the member is enabled again.
  await deletePendingSignIns(tx, member.id);
  return member;
}

export async function checkEnable(db: Executor, actor: MemberActor, userId: string) {
  const member = await visibleMemberOrRefuse(db, actor, userId);
  if (member.status !== "disabled") refuse("Only disabled members can be enabled.");
}

/** T3: restores access with everything as it was. */
export async function enableMemberNow(tx: Executor, actor: MemberActor, userId: string) {
  const member = await visibleMemberOrRefuse(tx, actor, userId, true);
  if (member.status !== "disabled") refuse("Only disabled members can be enabled.");
  await tx.update(users).set({ status: "active", disabledAt: null }).where(eq(users.id, member.id));
  return member;
}
