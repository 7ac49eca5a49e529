"use client";

import { ErrorAlert } from "@/components/ui/error-alert";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { inviteMember } from "@/app/(console)/users/actions";
import { useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";

/** T2: email (required), name (optional), role; then "Verify it's you"; then the invitation goes out. */
export function AddUserDialog({ onResult }: { onResult: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const runSensitive = useStepUp();
  const router = useRouter();

  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? ""), role: String(form.get("role") ?? "") };
    setBusy(true);
    setError(null);
    setFieldErrors({});
    const result = await runSensitive(inviteMember, input);
    setBusy(false);
    if (result.ok) {
      setOpen(false);
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
      <Button onClick={() => { setOpen(true); setError(null); setFieldErrors({}); }}>Add User</Button>
      <Dialog open={open} onOpenChange={setOpen} title="Add user" description="They get an email with a link to set their password.">
        <form onSubmit={submit} className="space-y-4" noValidate>
          <ErrorAlert message={error} />
          <Field id="invite-email" name="email" type="email" label="Email" required autoComplete="off" error={fieldErrors.email} />
          <Field id="invite-name" name="name" label="Name (optional)" autoComplete="off" error={fieldErrors.name} />
          <div className="space-y-1">
            <label htmlFor="invite-role" className="block text-sm font-medium text-slate-700">
              Role
            </label>
            <select id="invite-role" name="role" defaultValue="secondary" className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
              <option value="secondary">Member (secondary user)</option>
              <option value="primary">Administrator (primary user)</option>
            </select>
          </div>
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
