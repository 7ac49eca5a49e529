"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { addWorkstation } from "@/app/(console)/users/actions";
import { useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Field } from "@/components/ui/field";
import { UnitSelect } from "@/components/org-units/unit-select";
import type { UnitChoice } from "@/lib/org-units/choices";

/**
 * A3: a shared workstation for a place. After "Verify it's you" its sign-in name and
 * password are shown once, to be typed in at the workstation itself.
 */
export function AddWorkstationDialog({ units, needsUnit }: { units: readonly UnitChoice[]; needsUnit: boolean }) {
  const firstUnit = needsUnit ? (units[0]?.id ?? "") : "";
  const [unitId, setUnitId] = useState(firstUnit);
  const [open, setOpen] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const [name, setName] = useState("");
  const [location, setLocation] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ signInName: string; password: string } | null>(null);
  const [opener, setOpener] = useState<HTMLButtonElement | null>(null);
  const runSensitive = useStepUp();
  const router = useRouter();

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    const result = await runSensitive(addWorkstation, { name, location, unitId }, { onCodeRequested: () => setVerifying(true) });
    setBusy(false);
    setVerifying(false);
    if (result.ok) {
      setCreated({ signInName: result.data.signInName, password: result.data.password });
      router.refresh();
    } else if ("cancelled" in result) {
      setError("Cancelled: nothing was created.");
    } else {
      setFieldErrors(("fieldErrors" in result && result.fieldErrors) || {});
      if (!("fieldErrors" in result && result.fieldErrors)) setError(result.error ?? "Something went wrong.");
    }
  };

  return (
    <>
      <Button
        ref={setOpener}
        variant="secondary"
        onClick={() => {
          setName("");
          setLocation("");
          setUnitId(firstUnit);
          setCreated(null);
          setError(null);
          setFieldErrors({});
          setOpen(true);
        }}>
        Add workstation
      </Button>
      <Dialog
        open={open && !verifying}
        onOpenChange={setOpen}
        title="Add shared workstation"
        description="For a place, not a person: it can view, comment and download, is never assigned work and gets no email."
        returnFocusTo={verifying ? false : opener}>
        {created ? (
          <div className="space-y-3">
            <p role="status" className="text-sm text-emerald-700">
              {name} was created. Sign it in with these; the password is shown only now.
            </p>
            <dl className="grid grid-cols-[8rem_1fr_auto] items-center gap-2 text-sm">
              <dt className="text-slate-500">Sign-in name</dt>
              <dd className="break-all font-mono">{created.signInName}</dd>
              <dd>
                <CopyButton text={created.signInName} label="Copy sign-in name" />
              </dd>
              <dt className="text-slate-500">Password</dt>
              <dd className="break-all font-mono">{created.password}</dd>
              <dd>
                <CopyButton text={created.password} label="Copy password" />
              </dd>
            </dl>
            <div className="flex justify-end">
              <Button onClick={() => setOpen(false)}>Done</Button>
            </div>
          </div>
        ) : (
          <form onSubmit={submit} className="space-y-4" noValidate>
            <ErrorAlert message={error} />
            <Field id="workstation-name" label="Name" hint="For example: Front desk — Plant 2" value={name} onChange={(e) => setName(e.target.value)} error={fieldErrors.name} autoComplete="off" required />
            <Field id="workstation-location" label="Location" value={location} onChange={(e) => setLocation(e.target.value)} error={fieldErrors.location} autoComplete="off" required />
            {units.length > 0 ? (
              <UnitSelect id="workstation-unit" label="Unit" value={unitId} onChange={setUnitId} units={units} none={needsUnit ? undefined : "No unit"} error={fieldErrors.unitId} />
            ) : null}
            <div className="flex justify-end gap-2">
              <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" busy={busy}>
                Create workstation
              </Button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
