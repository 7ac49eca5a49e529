"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { turnOffTotp } from "@/app/(console)/account/two-factor/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function TurnOffTwoFactorForm() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    const result = await turnOffTotp({ code: String(new FormData(event.currentTarget).get("code") ?? "") });
    setBusy(false);
    if (result.ok) router.refresh();
    else setError(result.error ?? "Something went wrong.");
  };
  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <Field id="turn-off-code" name="code" label="Current code or a backup code" autoComplete="one-time-code" maxLength={32} error={error ?? undefined} required />
      <Button type="submit" variant="danger" disabled={busy}>
        Turn off 2FA
      </Button>
    </form>
  );
}
