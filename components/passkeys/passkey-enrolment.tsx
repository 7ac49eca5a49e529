"use client";

import { useRouter } from "next/navigation";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import type { TwoFactorProof } from "@/components/two-factor/totp-enrolment";
import { AddPasskeyForm } from "./add-passkey-form";

/** P4, B1: on "Setup 2FA Required", a passkey instead of an authenticator app; once added, the console opens. */
export function PasskeyEnrolment({ proof, doneHref }: { proof: TwoFactorProof; doneHref: string }) {
  const router = useRouter();
  return (
    <StepUpProvider>
      <AddPasskeyForm proof={proof} onAdded={() => router.replace(doneHref)} />
    </StepUpProvider>
  );
}
