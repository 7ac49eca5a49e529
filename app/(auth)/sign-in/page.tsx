import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { PasswordlessSignIn } from "@/components/auth/passwordless-sign-in";
import { SsoForm } from "@/components/auth/sso-form";
import { SSO_ERRORS } from "@/lib/sso/members";
import { getCurrentUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { ACCESS_EXPIRED } from "@/lib/expiry/validate";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; sso_error?: string; error?: string; signed_out?: string }> }) {
  if (await getCurrentUser()) redirect("/account");
  const { next, sso_error, error, signed_out } = await searchParams;
  // requireUser sends a session refused for idleness here (lib/auth/session.ts).
  const signedOutNotice =
    signed_out === "idle" ? `You were signed out after ${config().sessionIdleMinutes} minutes without activity.` : signed_out === "expired" ? ACCESS_EXPIRED : undefined;
  // next-auth sends failed OAuth callbacks (a forged state, a token from the wrong issuer…) here with ?error=.
  const ssoError = sso_error ? (SSO_ERRORS[sso_error] ?? SSO_ERRORS.failed) : error ? SSO_ERRORS.failed : undefined;
  const nextPath = typeof next === "string" ? next : undefined;
  return (
    <>
      <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
      {signedOutNotice ? (
        <p role="status" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          {signedOutNotice}
        </p>
      ) : null}
      <SignInForm next={nextPath} />
      <div className="my-4 flex items-center gap-3 text-xs uppercase text-slate-500" aria-hidden="true">
        <span className="h-px flex-1 bg-slate-200" /> or <span className="h-px flex-1 bg-slate-200" />
      </div>
      <div className="space-y-3">
        <PasswordlessSignIn next={nextPath ?? ""} />
        <SsoForm next={nextPath} initialError={ssoError} />
      </div>
    </>
  );
}
