"use client";

import { ErrorAlert } from "@/components/ui/error-alert";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { inviteMember } from "@/app/(console)/users/actions";
import { useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { RoleCheckboxes, type RoleOption } from "@/components/roles/role-checkboxes";
import { ExpiryInput } from "@/components/expiry/expiry-input";
import { UnitSelect } from "@/components/org-units/unit-select";
import { fromUtcInputValue } from "@/lib/expiry/format";
import type { UnitChoice } from "@/lib/org-units/choices";
import { useTeamTableMessage } from "./team-table-actions";

type Draft = { email: string; name: string; roles: string[]; unitId: string; expiresAt: string };

/**
 * T2: email (required), name (optional), roles (A3), the unit they join (A4: required of
 * someone who invites only into their units); then "Verify it's you"; then the invitation goes out.
 */
export function AddUserDialog({ roleOptions, units, needsUnit }: { roleOptions: readonly RoleOption[]; units: readonly UnitChoice[]; needsUnit: boolean }) {
  const EMPTY: Draft = { email: "", name: "", roles: ["member"], unitId: needsUnit ? (units[0]?.id ?? "") : "", expiresAt: "" };
  const onResult = useTeamTableMessage();
  const [open, setOpen] = useState(false);
  // While "Verify it's you" is open this dialog steps aside (one dialog at a time); what the
  // person typed is kept here, so a cancelled or failed code step brings it back as it was.
  const [verifying, setVerifying] = useState(false);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [addButton, setAddButton] = useState<HTMLButtonElement | null>(null);
  // Bumped when the invitation went out: focus returns to "Add User" once the code dialog is gone.
  const [invited, setInvited] = useState(0);
  const runSensitive = useStepUp();
  const router = useRouter();

  useEffect(() => {
    if (invited > 0) addButton?.focus();
  }, [invited, addButton]);

  const edit = (field: "email" | "name") => (event: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [field]: event.target.value });

  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // A5: an optional end to the membership, typed in UTC.
    const accessExpiresAt = draft.expiresAt ? fromUtcInputValue(draft.expiresAt) : null;
    if (draft.expiresAt && !accessExpiresAt) return setFieldErrors({ accessExpiresAt: "Enter a date and time, or leave it empty." });
    const input = { email: draft.email, name: draft.name, roles: draft.roles, unitId: draft.unitId, accessExpiresAt };
    setBusy(true);
    setError(null);
    setFieldErrors({});
    const result = await runSensitive(inviteMember, input, { onCodeRequested: () => setVerifying(true) });
    setBusy(false);
    setVerifying(false);
    if (result.ok) {
      setOpen(false);
      setDraft(EMPTY);
      setInvited((n) => n + 1);
      onResult(`Invitation sent to ${input.email.trim().toLowerCase()}.`);
      router.refresh();
    } else if ("cancelled" in result) {
      setError("Cancelled: nothing was sent.");
    } else {
      setFieldErrors(("fieldErrors" in result && result.fieldErrors) || {});
      if (!("fieldErrors" in result && result.fieldErrors)) setError(result.error ?? "Something went wrong.");
    }
  };

  return (
    <>
      <Button
        ref={setAddButton}
        onClick={() => {
          setOpen(true);
          setDraft(EMPTY);
          setError(null);
          setFieldErrors({});
        }}>
        Add User
      </Button>
      <Dialog
        open={open && !verifying}
        onOpenChange={setOpen}
        title="Add user"
        description="They get an email with a link to set their password."
        // Handing over to the code dialog moves focus there; otherwise it goes back to "Add User".
        returnFocusTo={verifying ? false : addButton}>
        <form onSubmit={submit} className="space-y-4" noValidate>
          <ErrorAlert message={error} />
          <Field id="invite-email" name="email" type="email" label="Email" required autoComplete="off" value={draft.email} onChange={edit("email")} error={fieldErrors.email} />
          <Field id="invite-name" name="name" label="Name (optional)" autoComplete="off" value={draft.name} onChange={edit("name")} error={fieldErrors.name} />
          <RoleCheckboxes legend="Roles" idPrefix="invite-role" options={roleOptions} value={draft.roles} onChange={(roles) => setDraft({ ...draft, roles })} error={fieldErrors.roles} />
          {units.length > 0 ? (
            <UnitSelect id="invite-unit" label="Unit" value={draft.unitId} onChange={(unitId) => setDraft({ ...draft, unitId })} units={units} none={needsUnit ? undefined : "No unit"} error={fieldErrors.unitId} />
          ) : null}
          <ExpiryInput
            id="invite-expires"
            label="Access expires (optional)"
            value={draft.expiresAt}
            onChange={(expiresAt) => setDraft({ ...draft, expiresAt })}
            error={fieldErrors.accessExpiresAt}
            hint="In UTC. Leave empty for access that does not expire."
          />
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" busy={busy}>
              {busy ? "Sending…" : "Send invitation"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
