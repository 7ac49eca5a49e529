import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { deleteIdleSession, findActiveSession, touchSession } from "@/db/queries/sessions";
import { touchLastActive } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { config } from "@/lib/config";
import { auth } from "./next-auth";
import { twoFactorGate as computeGate, type TwoFactorGate } from "./two-factor-policy";

export type CurrentUser = Pick<User, "id" | "accountId" | "email" | "name" | "role" | "status"> & {
  sessionId: string;
  avatarVersion: number | null;
  /** T7: the identity provider owns this person's name, email and password. */
  ssoManaged: boolean;
  /** T7: the account's membership comes from its IdP; User Management is hidden. */
  accountSsoOnly: boolean;
  /** Has a password of ours to prove it is them with; SSO members confirm with an emailed code instead. */
  signsInWithPassword: boolean;
  twoFactorEnabled: boolean;
  /** P4: whether enforcement asks this user to set 2FA up (and by when). */
  twoFactorGate: TwoFactorGate;
};

/** Why a session that came with the request was refused, when the person should be told. */
export type SignedOutReason = "idle";

type SessionLookup = { user: CurrentUser; signedOut?: undefined } | { user: null; signedOut?: SignedOutReason };

/**
 * The signed-in user of this request, checked against the database every time: a
 * deleted session row, a disabled user or a session idle past SESSION_IDLE_MINUTES ends
 * access on the very next request. Cached per request, so a page and its components look
 * it up once.
 */
const lookUpSession = cache(async (): Promise<SessionLookup> => {
  const session = await auth();
  const sessionId = session?.sid;
  if (!sessionId) return { user: null };
  const db = await getDb();
  const { sessionIdleMinutes: idleMinutes } = config();
  const row = await findActiveSession(db, sessionId, { idleMinutes });
  // Refused by that query; only then is an idle session removed (and the person told).
  if (!row) return { user: null, signedOut: (await deleteIdleSession(db, sessionId, { idleMinutes })) ? "idle" : undefined };
  // One query per request in the common case: the touches run only when they would write.
  await Promise.all([row.sessionStale && touchSession(db, sessionId), row.activityStale && touchLastActive(db, row.user.id)]);
  const { id, accountId, email, name, role, status } = row.user;
  const twoFactorEnabled = Boolean(row.user.totpEnabledAt);
  const twoFactorGate = computeGate(row.policy, { role, totpEnabled: twoFactorEnabled });
  const avatarVersion = row.avatarUpdatedAt?.getTime() ?? null;
  const ssoManaged = Boolean(row.user.ssoSubject);
  const accountSsoOnly = Boolean(row.accountSsoOnly);
  const signsInWithPassword = Boolean(row.user.passwordHash) && !ssoManaged;
  return {
    user: { id, accountId, email, name, role, status, sessionId, avatarVersion, ssoManaged, accountSsoOnly, signsInWithPassword, twoFactorEnabled, twoFactorGate },
  };
});

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

/** A2: the management surface does not exist for secondary users (404, not 403), nor in SSO-only accounts (T7). */
export async function requirePrimaryUser(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== "primary" || user.accountSsoOnly) notFound();
  return user;
}
