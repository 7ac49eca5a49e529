"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { turnOffTotp } from "@/app/(console)/account/two-factor/actions";
import { StepUpProvider, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Field } from "@/components/ui/field";
import type { TwoFactorProof } from "./totp-enrolment";

/** Turning 2FA off: a current code, and the password beside it (or, for SSO members, an emailed code). */
export function TurnOffTwoFactorForm({ proof }: { proof: TwoFactorProof }) {
  return (
    <StepUpProvider>
      <TurnOffForm proof={proof} />
    </StepUpProvider>
  );
}

function TurnOffForm({ proof }: { proof: TwoFactorProof }) {
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const runSensitive = useStepUp();
  const router = useRouter();
  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const code = String(form.get("code") ?? "");
    setBusy(true);
    setError(null);
    setFieldErrors({});
    const result = await runSensitive(turnOffTotp, proof === "password" ? { code, password: String(form.get("password") ?? "") } : { code });
    setBusy(false);
    if (result.ok) router.refresh();
    else if ("cancelled" in result) return;
    else if ("fieldErrors" in result && result.fieldErrors) setFieldErrors(result.fieldErrors);
    else setError(result.error ?? "Something went wrong.");
  };
  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <ErrorAlert message={error} />
      {proof === "password" ? (
        <Field id="turn-off-password" name="password" type="password" label="Password" autoComplete="current-password" error={fieldErrors.password} required />
      ) : null}
      <Field id="turn-off-code" name="code" label="Current code or a backup code" autoComplete="one-time-code" maxLength={32} error={fieldErrors.code} required />
      <Button type="submit" variant="danger" disabled={busy}>
        Turn off 2FA
      </Button>
    </form>
  );
}
