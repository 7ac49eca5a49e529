import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signOutAction } from "@/app/(console)/actions";
import { PasskeyEnrolment } from "@/components/passkeys/passkey-enrolment";
import { SetupChoice } from "@/components/two-factor/setup-choice";
import { TotpEnrolment } from "@/components/two-factor/totp-enrolment";
import { Button } from "@/components/ui/button";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";

export const metadata: Metadata = { title: "Setup 2FA Required" };

/** P4: the one place a member without 2FA can reach while enforcement requires it. */
export default async function SetupTwoFactorRequiredPage() {
  const user = await requireUser({ allowTwoFactorSetup: true });
  if (user.twoFactorGate.state !== "required") redirect("/account");
  const proof = user.signsInWithPassword ? "password" : "emailed-code";
  return (
    <>
      <h1 className="mb-2 text-lg font-semibold">Setup 2FA Required</h1>
      <p className="mb-4 text-sm text-slate-600">
        Your administrator requires two-factor authentication for your account. Set it up to continue.
      </p>
      <SetupChoice
        app={<TotpEnrolment doneHref="/account" appName={config().appName} proof={proof} />}
        passkey={
          <>
            <p className="text-sm text-slate-600">Your fingerprint, face or device PIN confirms it&apos;s you, at sign-in and instead of a password.</p>
            <PasskeyEnrolment doneHref="/account" proof={proof} />
          </>
        }
      />
      <form action={signOutAction} className="mt-6 border-t border-slate-200 pt-4">
        <Button type="submit" variant="secondary">
          Sign out
        </Button>
      </form>
    </>
  );
}
