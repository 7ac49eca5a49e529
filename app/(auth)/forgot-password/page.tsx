"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { forgotPasswordAction, type ForgotState } from "./actions";

export default function ForgotPasswordPage() {
  const [state, action, pending] = useActionState<ForgotState, FormData>(forgotPasswordAction, {});
  return (
    <>
      <h1 className="mb-4 text-lg font-semibold">Reset your password</h1>
      {state.sent ? (
        <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-800">
          {state.sent}
        </p>
      ) : (
        <form action={action} className="space-y-4" noValidate>
          <Field id="email" name="email" type="email" label="Email" autoComplete="username" error={state.error} required />
          <Button type="submit" className="w-full" disabled={pending}>
            Email me a reset link
          </Button>
        </form>
      )}
      <Link href="/sign-in" className="mt-4 inline-block text-sm text-brand-600 underline">
        Back to sign in
      </Link>
    </>
  );
}
