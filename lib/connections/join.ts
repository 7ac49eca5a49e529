import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { findVerifiedDomain } from "@/db/queries/connections";
import { findUserByEmail, insertMembers } from "@/db/queries/users";
import { joinRequests } from "@/db/schema";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAudit, recordAuditBy } from "@/lib/audit";
import type { RequestContext } from "@/lib/request";
import { JOIN_ROLES } from "./domains";

export type JoinOutcome = { ok: true; userId: string } | { ok: false; code: "domain" | "pending" };

/**
 * B5: someone the account does not know yet signed in through its IdP. Only a domain the
 * account has verified lets them in — at once with the domain's default role, or as a
 * request an administrator approves in the team table. An unverified domain grants nothing.
 */
export async function joinThroughVerifiedDomain(
  tx: Executor,
  accountId: string,
  person: { email: string; name: string; ssoSubject: string },
  context: RequestContext,
): Promise<JoinOutcome> {
  const domain = await findVerifiedDomain(tx, accountId, person.email.split("@")[1] ?? "");
  if (!domain) return { ok: false, code: "domain" };
  if (domain.joinMode === "approval") {
    const [request] = await tx.insert(joinRequests).values({ accountId, ...person }).onConflictDoNothing().returning({ id: joinRequests.id });
    if (request) await recordAudit(tx, { accountId, actorId: null, action: "join.requested", target: { type: "join_request", id: request.id }, details: { email: person.email, domain: domain.domain }, context });
    return { ok: false, code: "pending" };
  }
  const role = (JOIN_ROLES as readonly string[]).includes(domain.defaultRole) ? domain.defaultRole : "member";
  const [created] = await insertMembers(tx, [{ accountId, email: person.email, name: person.name, status: "active", ssoSubject: person.ssoSubject, roles: [role] }]);
  await recordAudit(tx, { accountId, actorId: created.id, action: "sso.member_created", target: { type: "user", id: created.id }, details: { email: person.email, domain: domain.domain, role }, context });
  return { ok: true, userId: created.id };
}

async function findJoinRequest(tx: Executor, accountId: string, requestId: string) {
  const [row] = await tx
    .select()
    .from(joinRequests)
    .where(and(eq(joinRequests.accountId, accountId), eq(joinRequests.id, requestId)))
    .for("update");
  if (!row) refuse("That request is no longer waiting.", "not_found");
  return row;
}

/** B5: an administrator lets a waiting person in, with their domain's default role. */
export async function approveJoinRequest(tx: Executor, actor: Actor, input: { requestId: string }) {
  const accountId = actor.principal.accountId;
  const request = await findJoinRequest(tx, accountId, input.requestId);
  const domain = await findVerifiedDomain(tx, accountId, request.email.split("@")[1] ?? "");
  if (!domain) refuse(`${request.email.split("@")[1]} is no longer a verified domain of this account.`);
  if (await findUserByEmail(tx, request.email)) refuse("Someone with that email address already has an account.");
  const role = (JOIN_ROLES as readonly string[]).includes(domain.defaultRole) ? domain.defaultRole : "member";
  const [created] = await insertMembers(tx, [{ accountId, email: request.email, name: request.name, status: "active", ssoSubject: request.ssoSubject, roles: [role] }], actor.principal.id);
  await tx.delete(joinRequests).where(eq(joinRequests.id, request.id));
  await recordAuditBy(tx, actor, { action: "join.approved", target: { type: "user", id: created.id }, details: { email: request.email, role } });
  return { email: request.email };
}

export async function declineJoinRequest(tx: Executor, actor: Actor, input: { requestId: string }) {
  const request = await findJoinRequest(tx, actor.principal.accountId, input.requestId);
  await tx.delete(joinRequests).where(eq(joinRequests.id, request.id));
  await recordAuditBy(tx, actor, { action: "join.declined", target: { type: "join_request", id: request.id }, details: { email: request.email } });
  return { email: request.email };
}
