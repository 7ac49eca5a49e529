import type { Db, Executor } from "@/db/client";
import { recordSignInAttempt } from "@/lib/activity/record";
import { redeemSignInGrant } from "@/lib/auth/sign-in-grants";
import { createSession } from "@/db/queries/sessions";
import { config } from "@/lib/config";
import type { RequestContext } from "@/lib/request";
import { noteSignInDevice } from "@/lib/security-notices/new-device";

/**
 * Where every sign-in ends (lib/auth/next-auth.ts: a redeemed grant, or an SSO callback):
 * the database session is created, and the device noted (O4: a new one is emailed about).
 * The caller delivers the queued email after commit.
 */
export async function openSession(tx: Executor, userId: string, context: RequestContext): Promise<string> {
  const sid = await createSession(tx, { userId, maxAgeSeconds: config().sessionMaxAgeSeconds, ip: context.ip, userAgent: context.userAgent });
  await noteSignInDevice(tx, { id: userId }, context);
  return sid;
}

/**
 * next-auth's Credentials provider: a one-time grant (every factor checked) becomes a
 * session, and the attempt is recorded as a success with how the first factor was proved
 * (O2) — in one transaction. Null when the grant is spent, expired or its user inactive.
 */
export async function openSessionWithGrant(db: Db, grantToken: unknown, context: RequestContext): Promise<{ id: string; sid: string } | null> {
  if (typeof grantToken !== "string") return null;
  return db.transaction(async (tx) => {
    const grant = await redeemSignInGrant(tx, grantToken);
    if (!grant) return null;
    await recordSignInAttempt(tx, { method: grant.method, result: "success", user: grant.user, context });
    return { id: grant.user.id, sid: await openSession(tx, grant.user.id, context) };
  });
}
