import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { findActiveSession, touchSession } from "@/db/queries/sessions";
import { touchLastActive } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { auth } from "./next-auth";
import { twoFactorGate as computeGate, type TwoFactorGate } from "./two-factor-policy";

export type CurrentUser = Pick<User, "id" | "accountId" | "email" | "name" | "role" | "status"> & {
  sessionId: string;
  avatarVersion: number | null;
  /** T7: the identity provider owns this person's name, email and password. */
  ssoManaged: boolean;
  /** T7: the account's membership comes from its IdP; User Management is hidden. */
  accountSsoOnly: boolean;
  twoFactorEnabled: boolean;
  /** P4: whether enforcement asks this user to set 2FA up (and by when). */
  twoFactorGate: TwoFactorGate;
};

/**
 * The signed-in user of this request, checked against the database every time: a
 * deleted session row or a disabled user ends access on the very next request.
 * Cached per request, so a page and its components look it up once.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const sessionId = session?.sid;
  if (!sessionId) return null;
  const db = await getDb();
  const row = await findActiveSession(db, sessionId);
  if (!row) return null;
  await Promise.all([touchSession(db, sessionId), touchLastActive(db, row.user.id)]);
  const { id, accountId, email, name, role, status } = row.user;
  const twoFactorEnabled = Boolean(row.user.totpEnabledAt);
  const twoFactorGate = computeGate(row.policy, { role, totpEnabled: twoFactorEnabled });
  const avatarVersion = row.avatarUpdatedAt?.getTime() ?? null;
  const ssoManaged = Boolean(row.user.ssoSubject);
  const accountSsoOnly = Boolean(row.accountSsoOnly);
  return { id, accountId, email, name, role, status, sessionId, avatarVersion, ssoManaged, accountSsoOnly, twoFactorEnabled, twoFactorGate };
});

/**
 * For pages, actions and route handlers: the user, or a redirect to sign-in. While
 * enforcement requires 2FA of a user without it, everything but the setup sends them to
 * "Setup 2FA Required" (P4) — checked here, on the server, for every caller.
 */
export async function requireUser(options: { allowTwoFactorSetup?: boolean } = {}): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  if (user.twoFactorGate.state === "required" && !options.allowTwoFactorSetup) redirect("/setup-2fa");
  return user;
}

/** A2: the management surface does not exist for secondary users (404, not 403), nor in SSO-only accounts (T7). */
export async function requirePrimaryUser(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== "primary" || user.accountSsoOnly) notFound();
  return user;
}
