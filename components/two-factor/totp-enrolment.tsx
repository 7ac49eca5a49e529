"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/app/(console)/account/two-factor/actions";
import { StepUpProvider, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Field } from "@/components/ui/field";
import { BackupCodesList } from "./backup-codes-list";

type Stage = { step: "intro" } | { step: "scan"; secret: string; qrDataUrl: string } | { step: "codes"; codes: string[] };

/** How a person shows it is them before changing their 2FA: their password, or (SSO members) an emailed code. */
export type TwoFactorProof = "password" | "emailed-code";

type Props = { doneHref: string; appName: string; intro?: React.ReactNode; proof: TwoFactorProof };

/** P3: your password (or an emailed code) → Set up 2FA → scan the QR code (or type the key) → confirm a code → save the backup codes. */
export function TotpEnrolment(props: Props) {
  return (
    <StepUpProvider>
      <Enrolment {...props} />
    </StepUpProvider>
  );
}

function Enrolment({ doneHref, appName, intro, proof }: Props) {
  const [stage, setStage] = useState<Stage>({ step: "intro" });
  // Each new step takes focus, so keyboard and screen-reader users land on it, not on <body>.
  const stepStart = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (stage.step !== "intro") stepStart.current?.focus();
  }, [stage.step]);
  const [error, setError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const runSensitive = useStepUp();

  const start = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setBusy(true);
    setError(null);
    setPasswordError(undefined);
    const result = await runSensitive(startTotpEnrolment, proof === "password" ? { password } : {});
    setBusy(false);
    if (result.ok) setStage({ step: "scan", ...result.data });
    else if ("cancelled" in result) return;
    else if ("fieldErrors" in result && result.fieldErrors?.password) setPasswordError(result.fieldErrors.password);
    else setError(result.error ?? "Something went wrong.");
  };

  const confirm = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    setBusy(true);
    setError(null);
    const result = await confirmTotpEnrolment({ code });
    setBusy(false);
    if (result.ok) setStage({ step: "codes", codes: result.data.backupCodes });
    else setError(result.error ?? "Something went wrong.");
  };

  if (stage.step === "intro") {
    return (
      <form onSubmit={start} className="space-y-3" noValidate>
        {intro}
        <ErrorAlert message={error} />
        {proof === "password" ? (
          <Field
            id="totp-password"
            name="password"
            type="password"
            label="Password"
            hint="Enter your password to set up 2FA."
            autoComplete="current-password"
            error={passwordError}
            required
          />
        ) : (
          <p className="text-sm text-slate-600">To confirm it&apos;s you, we will email you a verification code.</p>
        )}
        <Button type="submit" disabled={busy}>
          Set up 2FA
        </Button>
      </form>
    );
  }

  if (stage.step === "scan") {
    return (
      <div className="space-y-4">
        {intro}
        <p ref={stepStart} tabIndex={-1} className="text-sm text-slate-700 outline-none">Scan this QR code with an authenticator app (Google Authenticator, 1Password, Authy…).</p>
        {/* eslint-disable-next-line @next/next/no-img-element -- a data URL rendered on the server; nothing to optimise */}
        <img src={stage.qrDataUrl} alt={`QR code to add ${appName} to your authenticator app`} width={200} height={200} className="rounded border border-slate-200" />
        <div className="space-y-1">
          <label htmlFor="totp-secret" className="block text-sm font-medium text-slate-700">
            Setup key (if you cannot scan)
          </label>
          <input id="totp-secret" readOnly value={stage.secret} className="w-full rounded-md border border-slate-500 bg-slate-50 px-3 py-2 font-mono text-sm" onFocus={(e) => e.currentTarget.select()} />
        </div>
        <form onSubmit={confirm} className="space-y-3" noValidate>
          <Field id="totp-code" name="code" label="6-digit code from the app" inputMode="numeric" autoComplete="one-time-code" maxLength={6} error={error ?? undefined} required />
          <Button type="submit" disabled={busy}>
            {busy ? "Checking…" : "Confirm"}
          </Button>
        </form>
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <p ref={stepStart} tabIndex={-1} role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-800 outline-none">
        Two-factor authentication is on.
      </p>
      <BackupCodesList codes={stage.codes} appName={appName}>
        <Link href={doneHref} className="inline-flex items-center rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Done
        </Link>
      </BackupCodesList>
    </div>
  );
}
