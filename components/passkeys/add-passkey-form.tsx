"use client";

import { useState } from "react";
import { finishAddingPasskey, startAddingPasskey } from "@/app/(console)/account/security/passkey-actions";
import { useStepUp } from "@/components/step-up/step-up-provider";
import type { TwoFactorProof } from "@/components/two-factor/totp-enrolment";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Field } from "@/components/ui/field";
import { passkeyBrowserError } from "./browser-errors";

/**
 * B1: name the passkey, prove it is you (password, or an emailed code for SSO members),
 * then the browser creates it. Needs a StepUpProvider above it.
 */
export function AddPasskeyForm({ proof, onAdded }: { proof: TwoFactorProof; onAdded: (name: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const runSensitive = useStepUp();

  const add = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get("name") ?? "");
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const started = await runSensitive(startAddingPasskey, proof === "password" ? { name, password: String(form.get("password") ?? "") } : { name });
      if (!started.ok) {
        if ("cancelled" in started) return setError("Cancelled: no passkey was added.");
        if ("fieldErrors" in started && started.fieldErrors) return setFieldErrors(started.fieldErrors);
        return setError(started.error ?? "Something went wrong.");
      }
      // Loaded only when a passkey is made: nothing of WebAuthn is in the page's first load.
      const { startRegistration } = await import("@simplewebauthn/browser");
      let response;
      try {
        response = await startRegistration({ optionsJSON: started.data.options });
      } catch (browserError) {
        return setError(passkeyBrowserError(browserError, "create"));
      }
      const finished = await finishAddingPasskey({ name, response });
      if (!finished.ok) return setError(finished.error ?? "Something went wrong.");
      formElement.reset();
      onAdded(finished.data.name);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={add} className="space-y-3" noValidate aria-label="Add a passkey">
      <ErrorAlert message={error} />
      <Field id="passkey-name" name="name" label="Passkey name" hint="So you can tell your passkeys apart, for example “Work laptop”." maxLength={64} error={fieldErrors.name} required />
      {proof === "password" ? (
        <Field id="passkey-password" name="password" type="password" label="Password" hint="Enter your password to add a passkey." autoComplete="current-password" error={fieldErrors.password} required />
      ) : (
        <p className="text-sm text-slate-600">To confirm it&apos;s you, we will email you a verification code.</p>
      )}
      <Button type="submit" busy={busy}>
        Add a passkey
      </Button>
    </form>
  );
}
