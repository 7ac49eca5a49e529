"use client";

import { ErrorAlert } from "@/components/ui/error-alert";
import Link from "next/link";
import { useActionState } from "react";
import { verifySecondFactorAction, type VerifyState } from "@/app/(auth)/sign-in/verify/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function SecondFactorForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<VerifyState, FormData>(verifySecondFactorAction, {});
  if (state.expired) {
    return (
      <div className="space-y-3">
        <ErrorAlert message={state.error} />
        <Link href="/sign-in" className="text-sm text-brand-600 underline">
          Sign in again
        </Link>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <ErrorAlert message={state.error} />
      <Field id="code" name="code" label="Authentication code" autoComplete="one-time-code" autoFocus maxLength={32} spellCheck={false} required />
      <p className="text-sm text-slate-600">Enter the 6-digit code from your authenticator app, or one of your backup codes.</p>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Verifying…" : "Verify"}
      </Button>
    </form>
  );
}
