"use client";

import { ErrorAlert } from "@/components/ui/error-alert";
import Link from "next/link";
import { useActionState, useState } from "react";
import { verifySecondFactorAction, type VerifyState } from "@/app/(auth)/sign-in/verify/actions";
import { startPasskeySecondFactor, verifyPasskeySecondFactor } from "@/app/(auth)/sign-in/verify/passkey-actions";
import { PasskeyButton } from "@/components/auth/passkey-button";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/** P3, B1: the second step — a code from the authenticator app (or a backup code), or one of the person's passkeys. */
export function SecondFactorForm({ next, methods }: { next: string; methods: { totp: boolean; passkeys: boolean } }) {
  const [state, action, pending] = useActionState<VerifyState, FormData>(verifySecondFactorAction, {});
  const [expired, setExpired] = useState<string | null>(null);
  if (state.expired || expired) {
    return (
      <div className="space-y-3">
        <ErrorAlert message={expired ?? state.error} />
        <Link href="/sign-in" className="text-sm text-brand-600 underline">
          Sign in again
        </Link>
      </div>
    );
  }
  const passkey = methods.passkeys ? (
    <PasskeyButton label="Use a passkey" start={startPasskeySecondFactor} finish={verifyPasskeySecondFactor} next={next} onExpired={setExpired} primary={!methods.totp} />
  ) : null;
  if (!methods.totp) {
    return (
      <div className="space-y-4">
        <p className="text-sm text-slate-600">Confirm it&apos;s you with one of your passkeys.</p>
        {passkey}
        <p className="text-sm text-slate-600">Lost the device with your passkey? Your administrator can remove two-factor authentication from your account.</p>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <form action={action} className="space-y-4" noValidate>
        <input type="hidden" name="next" value={next} />
        <ErrorAlert message={state.error} />
        <Field id="code" name="code" label="Authentication code" autoComplete="one-time-code" autoFocus maxLength={32} spellCheck={false} required />
        <p className="text-sm text-slate-600">Enter the 6-digit code from your authenticator app, or one of your backup codes.</p>
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Verifying…" : "Verify"}
        </Button>
      </form>
      {passkey ? (
        <>
          <div className="flex items-center gap-3 text-xs uppercase text-slate-500" aria-hidden="true">
            <span className="h-px flex-1 bg-slate-200" /> or <span className="h-px flex-1 bg-slate-200" />
          </div>
          {passkey}
        </>
      ) : null}
    </div>
  );
}
