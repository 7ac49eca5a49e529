"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { setAppExpiry, setMembershipExpiry, setRoleExpiry } from "@/app/(console)/users/[id]/actions";
import { failureText, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import type { StepUpProof } from "@/lib/auth/step-up";
import { formatExpiry, fromUtcInputValue, toUtcInputValue } from "@/lib/expiry/format";
import { ExpiryInput } from "./expiry-input";

export type ExpiryTargetRef = { kind: "membership" } | { kind: "role"; role: string; unitId?: string | null } | { kind: "app"; appKey: string };

type Props = {
  userId: string;
  target: ExpiryTargetRef;
  /** What it is, in words: "the membership of Sam Lee", "the Developer role of Sam Lee". */
  what: string;
  expiresAt: string | null;
  /** Renew: push the expiry later (one action); otherwise set, change or remove it. */
  mode: "set" | "renew";
  onResult: (message: string, tone: "ok" | "error") => void;
};

const DAY = 86_400_000;

/** The server action that governs this kind of thing, with the proof passed on (step-up re-submits). */
const changeOf =
  (target: ExpiryTargetRef) =>
  (input: { userId: string; expiresAt: string | null; renew: boolean }, proof?: StepUpProof) => {
    if (target.kind === "membership") return setMembershipExpiry(input, proof);
    if (target.kind === "role") return setRoleExpiry({ ...input, role: target.role, unitId: target.unitId ?? null }, proof);
    return setAppExpiry({ ...input, appKey: target.appKey }, proof);
  };

/** A5: a button and its dialog to set, change, remove or renew when something ends (step-up). */
export function ExpiryDialog({ userId, target, what, expiresAt, mode, onResult }: Props) {
  const [open, setOpen] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState<"save" | "remove" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opener, setOpener] = useState<HTMLButtonElement | null>(null);
  const runSensitive = useStepUp();
  const router = useRouter();
  const label = mode === "renew" ? "Renew" : expiresAt ? "Change expiry" : "Set expiry";

  const openDialog = () => {
    // Renewing proposes 30 days past whichever is later, now or the current expiry.
    const from = Math.max(Date.now(), expiresAt ? new Date(expiresAt).getTime() : 0);
    setValue(toUtcInputValue(mode === "set" && expiresAt ? expiresAt : new Date(from + 30 * DAY)));
    setError(null);
    setOpen(true);
  };

  const submit = async (expiry: string | null, kind: "save" | "remove") => {
    setBusy(kind);
    setError(null);
    const result = await runSensitive(changeOf(target), { userId, expiresAt: expiry, renew: mode === "renew" }, { onCodeRequested: () => setVerifying(true) });
    setBusy(null);
    setVerifying(false);
    if (result.ok) {
      setOpen(false);
      onResult(expiry === null ? `${capitalise(what)} no longer expires.` : `${capitalise(what)} ${mode === "renew" ? "is renewed until" : "expires"} ${formatExpiry(expiry)}.`, "ok");
      router.refresh();
      opener?.focus();
    } else {
      setError(failureText(result));
    }
  };

  const save = (event: React.FormEvent) => {
    event.preventDefault();
    const expiry = fromUtcInputValue(value);
    if (!expiry) return setError("Enter a date and time.");
    void submit(expiry, "save");
  };

  return (
    <>
      <Button ref={setOpener} variant="secondary" aria-label={`${label}: ${what}`} onClick={openDialog}>
        {label}
      </Button>
      <Dialog
        open={open && !verifying}
        onOpenChange={setOpen}
        title={mode === "renew" ? `Renew ${what}` : `Expiry of ${what}`}
        description={expiresAt ? `Set to end ${formatExpiry(expiresAt)}. Access ends at the time chosen, with no one acting.` : "Access ends at the time chosen, with no one acting."}
        returnFocusTo={verifying ? false : opener}>
        <form onSubmit={save} className="space-y-4" noValidate>
          <ErrorAlert message={error} />
          <ExpiryInput id={`expiry-${mode}-${target.kind === "role" ? `role-${target.role}${target.unitId ? `-${target.unitId}` : ""}` : target.kind === "app" ? `app-${target.appKey}` : "membership"}`} label={mode === "renew" ? "Renew until" : "Expires at"} value={value} onChange={setValue} />
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            {mode === "set" && expiresAt ? (
              <Button type="button" variant="danger" busy={busy === "remove"} onClick={() => void submit(null, "remove")}>
                Remove expiry
              </Button>
            ) : null}
            <Button type="submit" busy={busy === "save"}>
              {mode === "renew" ? "Renew" : "Save expiry"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
