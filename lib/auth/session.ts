import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { findSessionPrincipal, sessionAccessExpired } from "@/db/queries/principals";
import { deleteIdleSession, touchSession } from "@/db/queries/sessions";
import { touchLastActive } from "@/db/queries/users";
import { config } from "@/lib/config";
import { asUnreachable } from "@/lib/db-errors";
import { auth } from "./next-auth";
import type { Permission } from "./permissions";
import { can, toPrincipal, type Principal } from "./principal";

/** The principal of a console request: it came in with a session. */
export type CurrentUser = Principal & { via: { kind: "session" }; sessionId: string };

/** Why a session that came with the request was refused, when the person should be told. */
export type SignedOutReason = "idle" | "expired";

type SessionLookup = { user: CurrentUser; signedOut?: undefined } | { user: null; signedOut?: SignedOutReason };

/**
 * The signed-in user of this request, checked against the database every time: a
 * deleted session row, a disabled user, access past its expiry (A5) or a session idle past
 * SESSION_IDLE_MINUTES ends access on the very next request. Cached per request, so a page and its components look
 * it up once.
 */
const lookUpSession = cache(async (): Promise<SessionLookup> => {
  try {
    return await lookUp();
  } catch (error) {
    // An unreachable database is said so on the page (app/error.tsx), with its reference.
    throw asUnreachable(error);
  }
});

async function lookUp(): Promise<SessionLookup> {
  const session = await auth();
  const sessionId = session?.sid;
  if (!sessionId) return { user: null };
  const db = await getDb();
  const { sessionIdleMinutes: idleMinutes } = config();
  const row = await findSessionPrincipal(db, sessionId, { idleMinutes });
  // Refused by that query; only then is an idle session removed (and the person told), or
  // the person told that their access expired (A5).
  if (!row) {
    if (await deleteIdleSession(db, sessionId, { idleMinutes })) return { user: null, signedOut: "idle" };
    return { user: null, signedOut: (await sessionAccessExpired(db, sessionId)) ? "expired" : undefined };
  }
  // One query per request in the common case: the touches run only when they would write.
  await Promise.all([row.sessionStale && touchSession(db, sessionId), row.activityStale && touchLastActive(db, row.user.id)]);
  return { user: { ...toPrincipal(row, { kind: "session", sessionId }), via: { kind: "session", sessionId }, sessionId } };
}

export async function getCurrentUser(): Promise<CurrentUser | null> {
  return (await lookUpSession()).user;
}

/**
 * For pages, actions and route handlers: the user, or a redirect to sign-in. While
 * enforcement requires 2FA of a user without it, everything but the setup sends them to
 * "Setup 2FA Required" (P4) — checked here, on the server, for every caller.
 */
export async function requireUser(options: { allowTwoFactorSetup?: boolean } = {}): Promise<CurrentUser> {
  const { user, signedOut } = await lookUpSession();
  if (!user) redirect(signedOut ? `/sign-in?signed_out=${signedOut}` : "/sign-in");
  if (user.twoFactorGate.state === "required" && !options.allowTwoFactorSetup) redirect("/setup-2fa");
  return user;
}

/**
 * For pages of a surface that needs a permission: whoever lacks it finds no such page
 * (404, not 403 — A2), as in an SSO-only account, whose IdP owns membership (T7).
 */
export async function requirePermission(permission: Permission): Promise<CurrentUser> {
  const user = await requireUser();
  if (!can(user, permission)) notFound();
  return user;
}
