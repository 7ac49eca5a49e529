import type { Executor } from "@/db/client";
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
