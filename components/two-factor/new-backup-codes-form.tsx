"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { regenerateBackupCodesAction } from "@/app/(console)/account/two-factor/actions";
import { StepUpProvider, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Field } from "@/components/ui/field";
import { BackupCodesList } from "./backup-codes-list";
import type { TwoFactorProof } from "./totp-enrolment";

/** P3: new backup codes for old ones lost or used up: a current code, and the password beside it (or, for SSO members, an emailed code). */
export function NewBackupCodesForm(props: { proof: TwoFactorProof; appName: string }) {
  return (
    <StepUpProvider>
      <NewCodesForm {...props} />
    </StepUpProvider>
  );
}

function NewCodesForm({ proof, appName }: { proof: TwoFactorProof; appName: string }) {
  // Asked for first, so the page does not show two password fields at once.
  const [open, setOpen] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const runSensitive = useStepUp();
  const router = useRouter();
  // The new codes take focus, so keyboard and screen-reader users land on them.
  const shown = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (codes) shown.current?.focus();
  }, [codes]);

  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const code = String(form.get("code") ?? "");
    setBusy(true);
    setError(null);
    setFieldErrors({});
    const result = await runSensitive(regenerateBackupCodesAction, proof === "password" ? { code, password: String(form.get("password") ?? "") } : { code });
    setBusy(false);
    if (result.ok) setCodes(result.data.backupCodes);
    else if ("cancelled" in result) return;
    else if ("fieldErrors" in result && result.fieldErrors) setFieldErrors(result.fieldErrors);
    else setError(result.error ?? "Something went wrong.");
  };

  if (codes) {
    return (
      <div className="space-y-4">
        <p ref={shown} tabIndex={-1} role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-800 outline-none">
          New backup codes were made. The old ones no longer work.
        </p>
        <BackupCodesList codes={codes} appName={appName}>
          <Button
            onClick={() => {
              setCodes(null);
              setOpen(false);
              router.refresh();
            }}
          >
            Done
          </Button>
        </BackupCodesList>
      </div>
    );
  }
  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Make new backup codes
      </Button>
    );
  }
  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <ErrorAlert message={error} />
      {proof === "password" ? (
        <Field id="new-codes-password" name="password" type="password" label="Password" autoComplete="current-password" error={fieldErrors.password} required autoFocus />
      ) : null}
      <Field id="new-codes-code" name="code" label="Current code or a backup code" autoComplete="one-time-code" maxLength={32} error={fieldErrors.code} required autoFocus={proof !== "password"} />
      <div className="flex gap-2">
        <Button type="submit" disabled={busy}>
          Make new codes
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
