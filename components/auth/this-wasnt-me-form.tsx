"use client";

import Link from "next/link";
import { useActionState } from "react";
import { confirmThisWasntMeAction, type ThisWasntMeState } from "@/app/(auth)/this-wasnt-me/[token]/actions";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";

const ENDED = {
  invalid: "This link is not valid.",
  expired: "This link has expired. Set a new password with Forgot password?: that signs out every session.",
  used: "This link was already used: every session was signed out then.",
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** O4: confirming "This wasn't me" (works without JavaScript too: the form posts the server action). */
export function ThisWasntMeForm({ token, resetsPassword, apiKeys, passkeys }: { token: string; resetsPassword: boolean; apiKeys: number; passkeys: number }) {
  const [state, action, pending] = useActionState<ThisWasntMeState, FormData>(confirmThisWasntMeAction, {});
  const outcome = state.outcome;
  if (outcome?.done) {
    return (
      <div className="space-y-3">
        <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-800">
          Done: you were signed out everywhere ({plural(outcome.sessionsEnded, "session", "sessions")} ended)
          {outcome.apiKeysRevoked ? `, ${plural(outcome.apiKeysRevoked, "API key was", "API keys were")} revoked` : ""}
          {outcome.passkeysRemoved ? `, ${plural(outcome.passkeysRemoved, "passkey was", "passkeys were")} removed` : ""}.{" "}
          {outcome.passwordReset
            ? `We emailed a link to set a new password to ${outcome.email}. Until you set one, your old password does not sign you in.`
            : "Your identity provider manages your password: change it there if someone else may know it."}
        </p>
        <p className="text-sm text-slate-700">Tell your administrator what happened, so they can check your account&apos;s activity.</p>
        <Link href="/sign-in" className="text-sm text-brand-600 underline">
          Go to sign in
        </Link>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <ErrorAlert message={outcome ? ENDED[outcome.state] : null} />
      <p className="text-sm">If someone else signed in to your account or changed it, confirm and we will:</p>
      <ul className="list-disc space-y-1 pl-5 text-sm">
        <li>sign you out everywhere, on every device (this one too), and cancel any sign-in in progress;</li>
        {apiKeys > 0 ? <li>revoke your {plural(apiKeys, "API key", "API keys")}: whatever uses them stops working until you make new ones;</li> : null}
        {passkeys > 0 ? <li>remove the {plural(passkeys, "passkey", "passkeys")} added since this email was sent;</li> : null}
        {resetsPassword ? (
          <li>stop your password from signing you in, and email you a link to set a new one.</li>
        ) : (
          <li>leave your password to your identity provider: change it there if someone else may know it.</li>
        )}
      </ul>
      <p className="text-sm text-slate-600">
        Two-factor authentication you set up before this email stays as it is. If someone else turned it on, ask your administrator to remove it.
      </p>
      <Button type="submit" variant="danger" className="w-full" disabled={pending}>
        Sign me out everywhere
      </Button>
    </form>
  );
}
