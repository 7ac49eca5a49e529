"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { setMemberRoles } from "@/app/(console)/users/actions";
import { failureText, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { ExpiryInput } from "@/components/expiry/expiry-input";
import { fromUtcInputValue } from "@/lib/expiry/format";
import { RoleCheckboxes, type RoleOption } from "./role-checkboxes";
import { UnitGrants, type UnitGrant, type UnitGrantChoices } from "./unit-grants";

/** `unitGrants`: A4, the roles they hold on units (`label` says which, for one the viewer cannot pick). */
export type RolesMember = { id: string; name: string; email: string; roleKeys: readonly string[]; unitGrants?: readonly UnitGrant[] };

type Props = {
  member: RolesMember;
  roleOptions: readonly RoleOption[];
  /** A4: the roles and units the viewer may give roles on; absent or empty: no roles on units here. */
  unitChoices?: UnitGrantChoices;
  onResult?: (message: string) => void;
  /** The button's visible text; its accessible name says whose roles. */
  label?: string;
};

/** A3: change a member's roles (step-up): a button and its dialog, as on the member page. */
export function RolesDialog({ member, roleOptions, unitChoices, onResult, label = "Roles" }: Props) {
  const [open, setOpen] = useState(false);
  const [opener, setOpener] = useState<HTMLButtonElement | null>(null);
  return (
    <>
      <Button ref={setOpener} variant="secondary" aria-label={`Change roles of ${member.name || member.email}`} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <MemberRolesDialog member={member} roleOptions={roleOptions} unitChoices={unitChoices} open={open} onOpenChange={setOpen} opener={opener} onResult={onResult} />
    </>
  );
}

type DialogProps = Omit<Props, "label"> & {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The control it opened from, where focus goes back. */
  opener: HTMLElement | null;
};

/**
 * The roles dialog alone, opened by its caller: the team table keeps one for all its rows
 * and opens it from a row's button or from its actions menu on a phone.
 */
export function MemberRolesDialog({ member, roleOptions, unitChoices, onResult, open, onOpenChange, opener }: DialogProps) {
  const who = member.name || member.email;
  const [verifying, setVerifying] = useState(false);
  const [roles, setRoles] = useState<string[]>([...member.roleKeys]);
  const [expiresAt, setExpiresAt] = useState("");
  const [unitGrants, setUnitGrants] = useState<UnitGrant[]>([...(member.unitGrants ?? [])]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Each opening starts from the member's roles as they are now (the member may differ too).
  const [shown, setShown] = useState(open);
  if (open !== shown) {
    setShown(open);
    if (open) {
      setRoles([...member.roleKeys]);
      setExpiresAt("");
      setUnitGrants([...(member.unitGrants ?? [])]);
      setError(null);
    }
  }
  const runSensitive = useStepUp();
  const router = useRouter();
  const showsUnits = Boolean(unitChoices && unitChoices.units.length > 0 && unitChoices.roles.length > 0);

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    // A5: roles given now may end at a time (UTC); the roles already held keep theirs.
    const expiry = expiresAt ? fromUtcInputValue(expiresAt) : null;
    if (expiresAt && !expiry) return setError("Enter a date and time for the new roles to expire, or leave it empty.");
    setBusy(true);
    setError(null);
    // A4: the roles on units go too only where they can be changed here; else they stay as they are.
    const onUnits = showsUnits ? { unitRoles: unitGrants.map(({ role, unitId }) => ({ role, unitId })) } : {};
    const result = await runSensitive(setMemberRoles, { userId: member.id, roles, ...onUnits, expiresAt: expiry }, { onCodeRequested: () => setVerifying(true) });
    setBusy(false);
    setVerifying(false);
    if (result.ok) {
      onOpenChange(false);
      onResult?.(result.data.changed ? `Roles of ${who}: ${result.data.after.join(", ")}.` : `The roles of ${who} did not change.`);
      router.refresh();
      opener?.focus();
    } else {
      setError(failureText(result));
    }
  };

  return (
    <Dialog open={open && !verifying} onOpenChange={onOpenChange} title={`Roles of ${who}`} description="Their permissions add up across roles. The change applies on their next request." returnFocusTo={verifying ? false : opener}>
      <form onSubmit={save} className="space-y-4" noValidate>
        <ErrorAlert message={error} />
        <RoleCheckboxes legend={showsUnits ? "Roles for the whole account" : "Roles"} idPrefix={`roles-${member.id}`} options={roleOptions} value={roles} onChange={setRoles} />
        {showsUnits ? <UnitGrants idPrefix={`unit-roles-${member.id}`} choices={unitChoices!} value={unitGrants} onChange={setUnitGrants} /> : null}
        <ExpiryInput id={`roles-${member.id}-expires`} label="Roles added now expire (optional)" value={expiresAt} onChange={setExpiresAt} hint="In UTC. Leave empty for roles that do not expire." />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" busy={busy}>
            Save roles
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
