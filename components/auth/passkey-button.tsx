"use client";

import { useState } from "react";
import type { PasskeyOptionsResult } from "@/app/(auth)/sign-in/passkey-actions";
import { passkeyBrowserError } from "@/components/passkeys/browser-errors";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";

type Props = {
  label: string;
  /** The server's options for this ceremony (its challenge's token goes in an httpOnly cookie). */
  start: () => Promise<PasskeyOptionsResult>;
  /** Sends the authenticator's answer; a right one redirects, so only a refusal comes back. */
  finish: (response: unknown, next: string) => Promise<{ error?: string; expired?: boolean } | undefined>;
  next: string;
  onExpired?: (error: string) => void;
  /** The page's main action (a person whose only second step is a passkey), or one choice among others. */
  primary?: boolean;
};

/** B1: one button that asks the browser for a passkey (sign-in, or the second step after a password). */
export function PasskeyButton({ label, start, finish, next, onExpired, primary = false }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const use = async () => {
    setBusy(true);
    setError(null);
    try {
      const started = await start();
      if (!started.ok) return started.expired && onExpired ? onExpired(started.error) : setError(started.error);
      // Loaded on use: nothing of WebAuthn is in the sign-in page's first load.
      const { startAuthentication } = await import("@simplewebauthn/browser");
      let response;
      try {
        response = await startAuthentication({ optionsJSON: started.options });
      } catch (browserError) {
        return setError(passkeyBrowserError(browserError, "use"));
      }
      const refused = await finish(response, next);
      if (refused?.expired && onExpired) onExpired(refused.error ?? "Your sign-in has expired. Sign in again.");
      else if (refused?.error) setError(refused.error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="space-y-3">
      <ErrorAlert message={error} />
      <Button type="button" variant={primary ? "primary" : "secondary"} className="w-full" busy={busy} onClick={() => void use()}>
        {busy ? "Waiting for your passkey…" : label}
      </Button>
    </div>
  );
}
