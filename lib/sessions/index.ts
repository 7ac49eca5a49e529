import type { Executor } from "@/db/client";
import { deleteOtherUserSessions, deleteUserSession, deleteUserSessions, listUserSessions } from "@/db/queries/sessions";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import { deletePendingSignIns } from "@/lib/auth/sign-in-grants";
import { config } from "@/lib/config";
import { keyedHash, safeEqual, sha256 } from "@/lib/crypto";
import { sendSecurityNotice } from "@/lib/security-notices/notices";
import { assertOutranks, visibleMemberOrRefuse } from "@/lib/team/members";
import type { Actor } from "@/lib/actions/actor";
import { describeUserAgent } from "./user-agent";

/** A signed-in session as the Security page shows it: never its ID nor its hash, only an opaque handle. */
export type SessionView = {
  handle: string;
  browser: string;
  os: string;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
};

/** As the browser receives them (dates as ISO strings). */
export const toSessionRows = (sessions: SessionView[]) =>
  sessions.map((session) => ({ ...session, createdAt: session.createdAt.toISOString(), lastSeenAt: session.lastSeenAt.toISOString() }));

export const NO_SUCH_SESSION = "No such session: it may have ended already.";

/**
 * The browser names a session by this handle: an HMAC of its stored hash under the server
 * key, so the page never carries the hash (a bearer-equivalent lookup key) and a handle
 * cannot be made up from anything the browser sees.
 */
export const sessionHandle = (idHash: string) => keyedHash("session-handle", idHash);

const currentHashOf = (principal: Principal) => (principal.via.kind === "session" ? sha256(principal.via.sessionId) : null);

async function sessionsOf(db: Executor, accountId: string, userId: string) {
  return listUserSessions(db, accountId, userId, { idleMinutes: config().sessionIdleMinutes });
}

function toView(row: Awaited<ReturnType<typeof sessionsOf>>[number], currentHash: string | null): SessionView {
  return {
    handle: sessionHandle(row.idHash),
    ...describeUserAgent(row.userAgent),
    ip: row.ip,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    current: currentHash !== null && safeEqual(row.idHash, currentHash),
  };
}

/** B2: the principal's own live sessions, the one they are using marked. */
export async function listOwnSessions(db: Executor, principal: Principal): Promise<SessionView[]> {
  const currentHash = currentHashOf(principal);
  return (await sessionsOf(db, principal.accountId, principal.id)).map((row) => toView(row, currentHash));
}

/**
 * B2: ends one of the principal's own sessions, named by its handle. Only their own are
 * looked at, so a handle of anyone else's session finds nothing. No step-up: it only
 * removes access. This device's session is ended by signing out.
 */
export async function endOwnSession(tx: Executor, { principal, request }: Actor, input: { handle: string }) {
  const currentHash = currentHashOf(principal);
  const rows = await sessionsOf(tx, principal.accountId, principal.id);
  const row = rows.find((candidate) => safeEqual(sessionHandle(candidate.idHash), input.handle));
  if (!row) refuse(NO_SUCH_SESSION, "not_found");
  if (currentHash !== null && safeEqual(row.idHash, currentHash)) refuse("This is the session you are using: sign out to end it.");
  if (!(await deleteUserSession(tx, principal.id, row.idHash))) refuse(NO_SUCH_SESSION, "not_found");
  const { browser, os } = describeUserAgent(row.userAgent);
  await recordAuditBy(tx, { principal, request }, { action: "session.ended", target: { type: "user", id: principal.id }, details: { browser, os, ip: row.ip } });
  return { browser, os };
}

/** B2: ends every session of the principal but the one they are using. */
export async function endOtherOwnSessions(tx: Executor, { principal, request }: Actor) {
  const currentHash = currentHashOf(principal);
  if (currentHash === null) refuse("Only a signed-in session can end the others.", "forbidden");
  const ended = await deleteOtherUserSessions(tx, principal.id, currentHash);
  await recordAuditBy(tx, { principal, request }, { action: "session.ended_others", target: { type: "user", id: principal.id }, details: { ended } });
  return { ended };
}

/** B2: a member's live sessions, for an administrator (A1, T6: another account's or hidden staff's read as not found). */
export async function listMemberSessions(db: Executor, principal: Principal, userId: string): Promise<SessionView[]> {
  const member = await visibleMemberOrRefuse(db, principal, userId, "sessions.manage");
  return (await sessionsOf(db, principal.accountId, member.id)).map((row) => toView(row, null));
}

const OWN_SESSIONS = "End your own sessions on Personal Account → Security.";

/** Checks before a step-up code is sent, so nobody verifies an action that cannot run. */
export async function checkEndMemberSessions(db: Executor, principal: Principal, userId: string) {
  const member = await visibleMemberOrRefuse(db, principal, userId, "sessions.manage");
  if (member.id === principal.id) refuse(OWN_SESSIONS);
  await assertOutranks(db, principal, member, "end the sessions of");
}

/**
 * B2: an administrator ends every session of a member, and any sign-in of theirs still
 * waiting at its second step; the member is told by email (no secret in it).
 */
export async function endMemberSessions(tx: Executor, { principal, request }: Actor, input: { userId: string }) {
  const member = await visibleMemberOrRefuse(tx, principal, input.userId, "sessions.manage", true);
  if (member.id === principal.id) refuse(OWN_SESSIONS);
  await assertOutranks(tx, principal, member, "end the sessions of");
  const ended = await deleteUserSessions(tx, member.id);
  await deletePendingSignIns(tx, member.id);
  await sendSecurityNotice(tx, member, "sessions-ended-by-admin");
  await recordAuditBy(tx, { principal, request }, { action: "member.sessions_ended", target: { type: "user", id: member.id }, details: { email: member.email, ended } });
  return { email: member.email, ended };
}
