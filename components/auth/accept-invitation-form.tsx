"use client";

import { ErrorAlert } from "@/components/ui/error-alert";
import { useActionState, useEffect, useState } from "react";
import { acceptInvitationAction, type AcceptState } from "@/app/(auth)/invitations/[token]/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { PasswordRules, passwordRuleIds } from "./password-rules";

/**
 * T2: the invited person picks their name and password. After a refusal the form keeps
 * what they typed (React would otherwise reset it), except what has to be typed again:
 * - a password refused as common or easily guessed: both password fields are emptied. It
 *   must not be used, and small edits of a guessable password stay guessable, so a new
 *   one is chosen from scratch;
 * - passwords that do not match: the confirmation is emptied. Both fields are masked, so
 *   the person cannot see which one is wrong, and the confirmation exists to prove they
 *   can type the password they chose — carrying a wrong copy over proves nothing.
 * A password refused only for a missing kind of character is kept in both fields: adding
 * what the ticked-off rules say is missing is the right fix, and nothing about it is
 * secret from the person at their own screen (the fields stay masked, and the server
 * never sends a password back).
 */
export function AcceptInvitationForm({ token, email, defaultName }: { token: string; email: string; defaultName: string }) {
  const [state, action, pending] = useActionState<AcceptState, FormData>(acceptInvitationAction, {});
  const [name, setName] = useState(defaultName);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [answered, setAnswered] = useState(state);
  // Adjusted while rendering the new answer (not in an effect), so no render shows stale fields.
  if (state !== answered) {
    setAnswered(state);
    if (state.retype === "password") setPassword("");
    if (state.retype) setConfirm("");
  }

  // Focus goes to the field to correct or re-type.
  useEffect(() => {
    const errors = state.fieldErrors ?? {};
    const field = state.retype === "confirm" ? "confirm" : errors.name ? "name" : errors.password ? "password" : errors.confirm ? "confirm" : null;
    if (field) document.getElementById(field)?.focus();
  }, [state]);

  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <ErrorAlert message={state.error} />
      <p className="text-sm text-slate-600">
        You will sign in as <strong>{email}</strong>.
      </p>
      <Field id="name" name="name" label="Your name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} error={state.fieldErrors?.name} required />
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
      <Field
        id="confirm"
        name="confirm"
        type="password"
        label="Confirm password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={state.fieldErrors?.confirm}
        required
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Setting up…" : "Accept invitation"}
      </Button>
    </form>
  );
}
