"use server";

import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { signIn } from "@/lib/auth/next-auth";
import { safeNextPath } from "@/lib/auth/safe-next";
import { findProviderForEmail, loadIdentityProviders, SSO_PROVIDER_PREFIX } from "@/lib/sso/providers";
import { recordSsoFailure, ssoAttempt } from "@/lib/sso/failures";
import { SSO_ERRORS } from "@/lib/sso/members";
import { requestContext } from "@/lib/request";
import { emailField } from "@/lib/team/schemas";

export type SsoState = { error?: string };

/** "Continue with SSO": the email's domain picks the account's identity provider. */
export async function ssoSignInAction(_prev: SsoState, form: FormData): Promise<SsoState> {
  const parsed = z.object({ email: emailField }).safeParse({ email: form.get("email") });
  if (!parsed.success) return { error: parsed.error.issues[0].message };
  const db = await getDb();
  const idp = await findProviderForEmail(db, parsed.data.email);
  if (!idp) return { error: SSO_ERRORS["no-provider"] };
  await loadIdentityProviders(db, { fresh: true });
  const redirectTo = safeNextPath(form.get("next"));
  const attempt = { idp, context: await requestContext(), recorded: false };
  try {
    // Redirects the browser to the identity provider (a redirect is thrown, and rethrown below).
    await ssoAttempt.run(attempt, () => signIn(`${SSO_PROVIDER_PREFIX}${idp.slug}`, { redirectTo }, { login_hint: parsed.data.email }));
  } catch (error) {
    unstable_rethrow(error);
    // Discovery failed or the IdP answered as another issuer: refuse, clearly, and record why
    // (unless next-auth's logger already did).
    console.warn(`[sso] sign-in through ${idp.slug} failed:`, error instanceof Error ? error.message : error);
    if (!attempt.recorded) await recordSsoFailure(db, idp, error, attempt.context);
    return { error: SSO_ERRORS.failed };
  }
  return {};
}
