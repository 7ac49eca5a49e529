"use client";

import { useRef, useState } from "react";
import { requestNewStepUpCode } from "@/app/(console)/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { OtpInput } from "@/components/ui/otp-input";
import type { Pending, SensitiveOutcome } from "./step-up-provider";

/** S1 "Verify it's you": the emailed code, "Send a new code", Cancel. */
export function VerifyDialog({ pending, onDone }: { pending: Pending; onDone: () => void }) {
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [ended, setEnded] = useState(false);
  const finished = useRef(false);

  const finish = (outcome: SensitiveOutcome<unknown>) => {
    if (finished.current) return;
    finished.current = true;
    pending.resolve(outcome);
    onDone();
  };

  const verify = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setError("Enter the 6-digit code from the email.");
      return;
    }
    setBusy(true);
    setNotice(null);
    const result = await pending.submit({ challengeId: pending.prompt.challengeId, code });
    setBusy(false);
    if (result.ok || !result.stepUp) return finish(result);
    setError(result.stepUp.error ?? "That code did not work.");
    setCode("");
    if (result.stepUp.reason === "locked" || result.stepUp.reason === "used" || result.stepUp.reason === "not-found") setEnded(true);
  };

  const sendNewCode = async () => {
    setBusy(true);
    const result = await requestNewStepUpCode(pending.prompt.challengeId);
    setBusy(false);
    if (result.ok) {
      setError(null);
      setCode("");
      setNotice(`We sent a new code to ${pending.prompt.sentTo}.`);
    } else {
      setError(result.error);
    }
  };

  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open) finish({ ok: false, cancelled: true });
      }}
      title="Verify it's you"
      returnFocusTo={pending.opener}
      description={
        <>
          To <strong>{pending.prompt.action}</strong>, enter the 6-digit code we emailed to <strong>{pending.prompt.sentTo}</strong>. It expires in 10
          minutes.
        </>
      }
    >
      <form onSubmit={verify} className="space-y-4">
        {/* No autoFocus: the dialog focuses this first field itself, after noting the opener to return focus to. */}
        <OtpInput label="Verification code" value={code} onChange={setCode} invalid={Boolean(error)} describedBy={error ? "step-up-error" : undefined} />
        <div aria-live="polite" className="min-h-5 text-sm">
          {error ? (
            <p id="step-up-error" role="alert" className="text-red-700">
              {error}
            </p>
          ) : notice ? (
            <p className="text-emerald-700">{notice}</p>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Button type="button" variant="secondary" onClick={sendNewCode} disabled={busy || ended}>
            Send a new code
          </Button>
          <div className="flex gap-2">
            <Button type="button" variant="secondary" onClick={() => finish({ ok: false, cancelled: true })}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy || ended}>
              {busy ? "Verifying…" : "Verify"}
            </Button>
          </div>
        </div>
      </form>
    </Dialog>
  );
}
