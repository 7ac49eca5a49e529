"use client";

import { finishPasskeySignIn, startPasskeySignIn } from "@/app/(auth)/sign-in/passkey-actions";
import { PasskeyButton } from "./passkey-button";

/** B1 "Sign in with a passkey": no email, no password — the passkey names the person (a discoverable credential). */
export function PasswordlessSignIn({ next }: { next: string }) {
  return <PasskeyButton label="Sign in with a passkey" start={startPasskeySignIn} finish={finishPasskeySignIn} next={next} />;
}
