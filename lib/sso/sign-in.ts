import type { Db } from "@/db/client";
import type { IdentityProvider } from "@/db/schema";
import { recordSignInAttempt } from "@/lib/activity/record";
import type { RequestContext } from "@/lib/request";
import { openSession } from "@/lib/sessions/open-session";
import { resolveSsoMember, type SsoProfile, type SsoResolution } from "./members";

export type SsoSignIn = Extract<SsoResolution, { ok: false }> | (Extract<SsoResolution, { ok: true }> & { sid: string });

/**
 * T7: an SSO callback becomes one of our members and a database session — or nothing. O2:
 * the attempt, refused or not, is recorded in the transaction that opens the session (or
 * not): a refusal for the member it concerns when one is known, else for the account.
 */
export async function signInWithSso(db: Db, idp: IdentityProvider, profile: SsoProfile, context: RequestContext): Promise<SsoSignIn> {
  return db.transaction(async (tx) => {
    const resolved = await resolveSsoMember(tx, idp, profile, context);
    const attempt = { method: "sso" as const, email: profile.email ?? null, accountId: idp.accountId, context };
    if (!resolved.ok) {
      const result = resolved.code === "disabled" ? "disabled" : resolved.code === "expired" ? "expired" : "sso_refused";
      const user = resolved.userId ? { id: resolved.userId, accountId: idp.accountId } : null;
      await recordSignInAttempt(tx, { ...attempt, result, user, detail: resolved.code });
      return resolved;
    }
    await recordSignInAttempt(tx, { ...attempt, result: "success", user: { id: resolved.userId, accountId: idp.accountId } });
    const sid = await openSession(tx, resolved.userId, context);
    return { ...resolved, sid };
  });
}
