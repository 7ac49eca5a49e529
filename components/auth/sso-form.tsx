"use client";

import { ErrorAlert } from "@/components/ui/error-alert";
import { useActionState, useState } from "react";
import { ssoSignInAction, type SsoState } from "@/app/(auth)/sign-in/sso-actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/** P1: single sign-on through the account's OpenID Connect identity provider. */
export function SsoForm({ next, initialError }: { next?: string; initialError?: string }) {
  const [state, action, pending] = useActionState<SsoState, FormData>(ssoSignInAction, { error: initialError });
  const [open, setOpen] = useState(Boolean(initialError));
  if (!open) {
    return (
      <Button type="button" variant="secondary" className="w-full" onClick={() => setOpen(true)}>
        Continue with SSO
      </Button>
    );
  }
  return (
    <form action={action} className="space-y-3" noValidate>
      <input type="hidden" name="next" value={next ?? ""} />
      <ErrorAlert message={state.error} />
      <Field id="sso-email" name="email" type="email" label="Work email" autoComplete="username" autoFocus required />
      <Button type="submit" className="w-full" disabled={pending}>
        Continue with SSO
      </Button>
    </form>
  );
}
