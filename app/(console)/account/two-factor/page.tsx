import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { countUnusedBackupCodes } from "@/db/queries/two-factor";
import { NewBackupCodesForm } from "@/components/two-factor/new-backup-codes-form";
import { TotpEnrolment } from "@/components/two-factor/totp-enrolment";
import { TurnOffTwoFactorForm } from "@/components/two-factor/turn-off-form";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { twoFactorEnforcedFor } from "@/lib/two-factor/enforcement";

export const metadata: Metadata = { title: "Two-Factor Authentication" };

export default async function TwoFactorPage() {
  const user = await requireUser();
  const db = await getDb();
  const [enforced, unusedCodes] = await Promise.all([twoFactorEnforcedFor(db, user), user.twoFactorEnabled ? countUnusedBackupCodes(db, user.id) : 0]);
  // Item 9: changing one's 2FA takes the password, or an emailed code for people without one.
  const proof = user.signsInWithPassword ? "password" : "emailed-code";
  return (
    <section className="max-w-2xl space-y-6">
      <h1 className="text-2xl font-semibold">Two-Factor Authentication</h1>
      <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
        {user.totpEnabled ? (
          <>
            <p className="text-sm">
              Status: <strong>On</strong>. Every sign-in asks for a code from your authenticator app
              {user.hasPasskeys ? " or one of your passkeys. Turning the app off leaves your passkeys as your second step." : "."}
            </p>
            {enforced && !user.hasPasskeys ? (
              <p className="text-sm text-slate-600">Your administrator requires two-factor authentication, so it cannot be turned off.</p>
            ) : (
              <TurnOffTwoFactorForm proof={proof} />
            )}
          </>
        ) : (
          // The status line belongs to the enrolment: once it is confirmed, "Off" would be wrong.
          <TotpEnrolment
            doneHref="/account/two-factor"
            appName={config().appName}
            proof={proof}
            intro={
              user.hasPasskeys ? (
                <p className="text-sm">
                  Status: <strong>On</strong> with your passkeys (Personal Account → Security). You can add an authenticator app as well.
                </p>
              ) : (
                <p className="text-sm">
                  Status: <strong>Off</strong>. Add a second step to your sign-in with an authenticator app.
                </p>
              )
            }
          />
        )}
      </div>
      {user.twoFactorEnabled ? (
        <section aria-labelledby="backup-codes-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="backup-codes-heading" className="text-lg font-medium">
            Backup codes
          </h2>
          <p className="text-sm text-slate-700">
            {unusedCodes === 1 ? "1 backup code is" : `${unusedCodes} backup codes are`} left. Lost them, or running out? Make new ones: the old ones stop working,
            and we email you that it happened.
          </p>
          <NewBackupCodesForm proof={proof} appName={config().appName} />
        </section>
      ) : null}
    </section>
  );
}
