"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { removePasskey, renamePasskey } from "@/app/(console)/account/security/passkey-actions";
import { StepUpProvider, useStepUp } from "@/components/step-up/step-up-provider";
import type { TwoFactorProof } from "@/components/two-factor/totp-enrolment";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Field } from "@/components/ui/field";
import { SimpleTable } from "@/components/ui/simple-table";
import type { PasskeyRow } from "@/lib/passkeys/manage";
import { AddPasskeyForm } from "./add-passkey-form";

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (value: string | null) => (value ? `${dateTime.format(new Date(value))} UTC` : "Never");

type Editing = { kind: "rename" | "remove"; passkey: PasskeyRow } | null;

/** B1 on Personal Account → Security: add (named), list with when each was added and last used, rename, remove. */
export function PasskeysPanel(props: { passkeys: PasskeyRow[]; proof: TwoFactorProof }) {
  return (
    <StepUpProvider>
      <Panel {...props} />
    </StepUpProvider>
  );
}

function Panel({ passkeys, proof }: { passkeys: PasskeyRow[]; proof: TwoFactorProof }) {
  const [editing, setEditing] = useState<Editing>(null);
  const [message, setMessage] = useState<string | null>(null);
  const router = useRouter();
  const done = (text: string) => {
    setEditing(null);
    setMessage(text);
    router.refresh();
  };

  return (
    <div className="space-y-4">
      <SimpleTable caption="Your passkeys" headers={["Name", "Added", "Last used", ""]} isEmpty={passkeys.length === 0} empty="No passkeys yet.">
        {passkeys.map((passkey) => (
          <tr key={passkey.id}>
            <td className="px-4 py-3">
              <span className="font-medium">{passkey.name}</span> {passkey.synced ? <Badge tone="slate">Synced</Badge> : null}
            </td>
            <td className="px-4 py-3">{when(passkey.createdAt)}</td>
            <td className="px-4 py-3">{when(passkey.lastUsedAt)}</td>
            <td className="space-x-2 whitespace-nowrap px-4 py-3 text-right">
              <Button variant="secondary" aria-label={`Rename passkey ${passkey.name}`} onClick={() => setEditing({ kind: "rename", passkey })}>
                Rename
              </Button>
              <Button variant="secondary" aria-label={`Remove passkey ${passkey.name}`} onClick={() => setEditing({ kind: "remove", passkey })}>
                Remove
              </Button>
            </td>
          </tr>
        ))}
      </SimpleTable>
      <p role="status" aria-live="polite" className="text-sm text-emerald-700">
        {message}
      </p>
      <div className="rounded-lg border border-slate-200 bg-white p-5">
        <AddPasskeyForm proof={proof} onAdded={(name) => done(`The passkey ${name} was added.`)} />
      </div>
      <Dialog open={editing?.kind === "rename"} onOpenChange={(open) => !open && setEditing(null)} title="Rename passkey">
        {editing?.kind === "rename" ? <RenameForm key={editing.passkey.id} passkey={editing.passkey} onDone={(name) => done(`The passkey is now called ${name}.`)} /> : null}
      </Dialog>
      <Dialog
        open={editing?.kind === "remove"}
        onOpenChange={(open) => !open && setEditing(null)}
        title="Remove passkey"
        description={editing ? `“${editing.passkey.name}” will no longer sign you in.` : undefined}>
        {editing?.kind === "remove" ? (
          <RemoveForm key={editing.passkey.id} passkey={editing.passkey} proof={proof} onCodeRequested={() => setEditing(null)} onDone={(name) => done(`The passkey ${name} was removed.`)} onCancel={() => setEditing(null)} />
        ) : null}
      </Dialog>
    </div>
  );
}

function RenameForm({ passkey, onDone }: { passkey: PasskeyRow; onDone: (name: string) => void }) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    const result = await renamePasskey({ passkeyId: passkey.id, name: String(new FormData(event.currentTarget).get("name") ?? "") });
    setBusy(false);
    if (result.ok) onDone(result.data.name);
    else setError(("fieldErrors" in result ? result.fieldErrors?.name : undefined) ?? result.error ?? "Something went wrong.");
  };
  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <Field id="rename-passkey" name="name" label="Passkey name" defaultValue={passkey.name} maxLength={64} error={error} required autoFocus />
      <Button type="submit" busy={busy}>
        Save name
      </Button>
    </form>
  );
}

function RemoveForm(props: { passkey: PasskeyRow; proof: TwoFactorProof; onCodeRequested: () => void; onDone: (name: string) => void; onCancel: () => void }) {
  const { passkey, proof, onDone, onCancel, onCodeRequested } = props;
  const [error, setError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const runSensitive = useStepUp();
  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setBusy(true);
    setError(null);
    setPasswordError(undefined);
    // For an emailed code, "Verify it's you" takes this dialog's place.
    const result = await runSensitive(removePasskey, proof === "password" ? { passkeyId: passkey.id, password } : { passkeyId: passkey.id }, { onCodeRequested });
    setBusy(false);
    if (result.ok) onDone(passkey.name);
    else if ("cancelled" in result) onCancel();
    else if ("fieldErrors" in result && result.fieldErrors?.password) setPasswordError(result.fieldErrors.password);
    else setError(result.error ?? "Something went wrong.");
  };
  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <ErrorAlert message={error} />
      {proof === "password" ? (
        <Field id="remove-passkey-password" name="password" type="password" label="Password" autoComplete="current-password" error={passwordError} required autoFocus />
      ) : (
        <p className="text-sm text-slate-600">To confirm it&apos;s you, we will email you a verification code.</p>
      )}
      <div className="flex gap-2">
        <Button type="submit" variant="danger" busy={busy}>
          Remove passkey
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
