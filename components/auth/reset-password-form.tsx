"use client";

import { ErrorAlert } from "@/components/ui/error-alert";
import Link from "next/link";
import { useActionState, useState } from "react";
import { resetPasswordAction, type ResetFormState } from "@/app/(auth)/reset-password/[token]/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { PasswordRules, passwordRuleIds } from "./password-rules";

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<ResetFormState, FormData>(resetPasswordAction, {});
  const [password, setPassword] = useState("");
  if (state.done) {
    return (
      <div className="space-y-3">
        <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-800">
          Your password was changed. Every session of your account was signed out.
        </p>
        <Link href="/sign-in" className="text-sm text-brand-600 underline">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <ErrorAlert message={state.error} />
      <Field id="password" name="password" type="password" label="New password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} error={state.fieldErrors?.password} describedBy={passwordRuleIds("password-rules")} required />
      <PasswordRules id="password-rules" password={password} />
      <Field id="confirm" name="confirm" type="password" label="Confirm new password" autoComplete="new-password" error={state.fieldErrors?.confirm} required />
      <Button type="submit" className="w-full" disabled={pending}>
        Set new password
      </Button>
    </form>
  );
}
