"use client";

import { ErrorAlert } from "@/components/ui/error-alert";
import { useActionState, useState } from "react";
import { acceptInvitationAction, type AcceptState } from "@/app/(auth)/invitations/[token]/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { PasswordRules, passwordRuleIds } from "./password-rules";

export function AcceptInvitationForm({ token, email, defaultName }: { token: string; email: string; defaultName: string }) {
  const [state, action, pending] = useActionState<AcceptState, FormData>(acceptInvitationAction, {});
  const [password, setPassword] = useState("");
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <ErrorAlert message={state.error} />
      <p className="text-sm text-slate-600">
        You will sign in as <strong>{email}</strong>.
      </p>
      <Field id="name" name="name" label="Your name" autoComplete="name" defaultValue={defaultName} error={state.fieldErrors?.name} required />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={state.fieldErrors?.password}
        describedBy={passwordRuleIds("password-rules")}
        required
      />
      <PasswordRules id="password-rules" password={password} />
      <Field id="confirm" name="confirm" type="password" label="Confirm password" autoComplete="new-password" error={state.fieldErrors?.confirm} required />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Setting up…" : "Accept invitation"}
      </Button>
    </form>
  );
}
