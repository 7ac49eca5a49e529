"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createRole, deleteRole, updateRole } from "@/app/(console)/roles/actions";
import { failureText, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Field } from "@/components/ui/field";
import { PERMISSION_NAMES, PERMISSIONS, type Permission } from "@/lib/auth/permissions";

type Role = { id: string; name: string; description: string; permissions: Permission[] };
type Props = { role?: Role; grantable: Permission[] };
const GROUPS = ["Administration", "Work", "Personal"] as const;

/** A3: compose a custom role from the catalogue (or edit one); step-up on save. */
export function RoleEditor({ role, grantable }: Props) {
  const [open, setOpen] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const [name, setName] = useState(role?.name ?? "");
  const [description, setDescription] = useState(role?.description ?? "");
  const [chosen, setChosen] = useState<Permission[]>(role?.permissions ?? []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [opener, setOpener] = useState<HTMLButtonElement | null>(null);
  const runSensitive = useStepUp();
  const router = useRouter();
  const title = role ? `Edit ${role.name}` : "New role";

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const input = { name, description, permissions: chosen };
    const options = { onCodeRequested: () => setVerifying(true) };
    const result = role ? await runSensitive(updateRole, { roleId: role.id, ...input }, options) : await runSensitive(createRole, input, options);
    setBusy(false);
    setVerifying(false);
    if (result.ok) {
      setOpen(false);
      router.refresh();
    } else {
      setError(failureText(result));
    }
  };

  return (
    <>
      <Button ref={setOpener} variant={role ? "secondary" : "primary"} aria-label={role ? `Edit role ${role.name}` : undefined} onClick={() => setOpen(true)}>
        {role ? "Edit" : "New role"}
      </Button>
      <Dialog open={open && !verifying} onOpenChange={setOpen} title={title} description="A role is a named set of permissions. Its holders get the change on their next request." returnFocusTo={verifying ? false : opener}>
        <form onSubmit={save} className="space-y-4" noValidate>
          <ErrorAlert message={error} />
          <Field id="role-name" label="Role name" value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
          <Field id="role-description" label="Description (optional)" value={description} onChange={(e) => setDescription(e.target.value)} autoComplete="off" />
          <div className="max-h-80 space-y-3 overflow-y-auto">
            {GROUPS.map((group) => (
              <fieldset key={group} className="space-y-1">
                <legend className="text-sm font-medium text-slate-700">{group}</legend>
                {PERMISSION_NAMES.filter((permission) => PERMISSIONS[permission].group === group).map((permission) => (
                  <label key={permission} className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="mt-1"
                      checked={chosen.includes(permission)}
                      disabled={!grantable.includes(permission)}
                      onChange={(e) => setChosen(e.target.checked ? [...chosen, permission] : chosen.filter((p) => p !== permission))}
                    />
                    <span>{PERMISSIONS[permission].label}</span>
                  </label>
                ))}
              </fieldset>
            ))}
          </div>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" busy={busy}>
              Save role
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

/** A3: deletes a custom role nobody holds (the server refuses one in use, saying what to do). */
export function DeleteRoleButton({ role }: { role: { id: string; name: string } }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const runSensitive = useStepUp();
  const router = useRouter();
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button
        variant="danger"
        busy={busy}
        aria-label={`Delete role ${role.name}`}
        onClick={async () => {
          setBusy(true);
          setMessage(null);
          const result = await runSensitive(deleteRole, { roleId: role.id });
          setBusy(false);
          if (result.ok) router.refresh();
          else setMessage("cancelled" in result ? "Cancelled: nothing was changed." : (result.error ?? "Something went wrong."));
        }}>
        Delete
      </Button>
      <span role="status" aria-label={`Messages about ${role.name}`} className="text-sm text-red-700">
        {message}
      </span>
    </span>
  );
}
