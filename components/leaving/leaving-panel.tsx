"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { disableMember } from "@/app/(console)/users/actions";
import { anonymiseMember, deleteMember, transferResources } from "@/app/(console)/users/[id]/actions";
import { failureText, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Field } from "@/components/ui/field";
import { KIND_LABELS, type ResourceKindName } from "@/lib/resources/kinds";

type Props = {
  userId: string;
  who: string;
  email: string;
  active: boolean;
  /** Anonymised already: their resources can still be handed over, or the placeholder deleted once it owns nothing. */
  anonymised: boolean;
  ties: { kind: ResourceKindName; count: number }[];
  owned: { id: string; name: string; kind: ResourceKindName }[];
  people: { id: string; name: string }[];
};

/**
 * T3, T4: what may happen to someone leaving. Delete only when they own nothing; otherwise
 * the ties are listed (by kind, linking to them) with Disable, Transfer ownership and
 * Anonymise instead. Each asks "Verify it's you".
 */
export function LeavingPanel({ userId, who, email, active, anonymised, ties, owned, people }: Props) {
  const router = useRouter();
  const runSensitive = useStepUp();
  const [message, setMessage] = useState("");
  const [dialog, setDialog] = useState<"transfer" | "anonymise" | null>(null);
  const remove = async () => {
    const result = await runSensitive(deleteMember, { userId });
    if (!result.ok) return setMessage(failureText(result));
    router.push("/users");
  };
  const disable = async () => {
    const result = await runSensitive(disableMember, { userId });
    if (!result.ok) return setMessage(failureText(result));
    setMessage(`${who} was disabled. Their resources stay available to the team.`);
    router.refresh();
  };
  return (
    <div className="space-y-3">
      <p role="status" aria-label="Leaving messages" className="min-h-5 text-sm text-slate-700">
        {message}
      </p>
      {ties.length === 0 ? (
        <>
          <p className="text-sm text-slate-600">{who} owns nothing, so they can be deleted.</p>
          <Button type="button" variant="danger" onClick={() => void remove()}>
            Delete {who}
          </Button>
        </>
      ) : (
        <>
          <p className="text-sm">{who} cannot be deleted: they own</p>
          <ul aria-label={`What ${who} owns`} className="list-disc pl-5 text-sm">
            {ties.map((tie) => (
              <li key={tie.kind}>
                <Link href={`/resources?owner=${userId}&kind=${tie.kind}`} className="text-brand-600 underline">
                  {tie.count} {(tie.count === 1 ? KIND_LABELS[tie.kind].one : KIND_LABELS[tie.kind].many).toLowerCase()}
                </Link>
              </li>
            ))}
          </ul>
          <p className="text-sm text-slate-600">Disable them (their resources stay available to the team), hand their resources to someone else, or anonymise them.</p>
          <div className="flex flex-wrap gap-2">
            {active ? (
              <Button type="button" variant="secondary" onClick={() => void disable()}>
                Disable
              </Button>
            ) : null}
            <Button type="button" variant="secondary" onClick={() => setDialog("transfer")}>
              Transfer ownership
            </Button>
          </div>
        </>
      )}
      {anonymised ? (
        <p className="text-sm text-slate-600">{who} has been anonymised: nothing personal of theirs is left.</p>
      ) : (
        <Button type="button" variant="danger" onClick={() => setDialog("anonymise")}>
          Anonymise {who}
        </Button>
      )}
      {dialog === "transfer" ? (
        <TransferDialog userId={userId} who={who} owned={owned} people={people} onClose={() => setDialog(null)} onDone={(text) => (setMessage(text), router.refresh())} />
      ) : null}
      {dialog === "anonymise" ? <AnonymiseDialog userId={userId} who={who} email={email} onClose={() => setDialog(null)} onDone={(text) => (setMessage(text), router.refresh())} /> : null}
    </div>
  );
}

function TransferDialog({ userId, who, owned, people, onClose, onDone }: { userId: string; who: string; owned: Props["owned"]; people: Props["people"]; onClose: () => void; onDone: (text: string) => void }) {
  const runSensitive = useStepUp();
  const [toUserId, setTo] = useState(people[0]?.id ?? "");
  const [chosen, setChosen] = useState<string[]>(owned.map((resource) => resource.id));
  const [error, setError] = useState<string | null>(null);
  const [verifying, setVerifying] = useState(false);
  const all = chosen.length === owned.length;
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const result = await runSensitive(transferResources, { fromUserId: userId, toUserId, resourceIds: all ? null : chosen }, { onCodeRequested: () => setVerifying(true) });
    setVerifying(false);
    if (!result.ok) return setError(failureText(result));
    onClose();
    onDone(`${result.data.moved} of ${who}'s resources now belong to ${result.data.to}.`);
  };
  return (
    <Dialog open={!verifying} onOpenChange={(open) => (open ? null : onClose())} title={`Transfer ${who}'s resources`} returnFocusTo={verifying ? false : undefined}>
      <form onSubmit={submit} className="space-y-3" noValidate>
        <ErrorAlert message={error} />
        <div className="space-y-1">
          <label htmlFor="transfer-to" className="block text-sm font-medium text-slate-700">
            New owner
          </label>
          <select id="transfer-to" value={toUserId} onChange={(e) => setTo(e.target.value)} className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
            {people.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="max-h-60 space-y-1 overflow-y-auto">
          <legend className="text-sm font-medium text-slate-700">Resources</legend>
          {owned.map((resource) => (
            <label key={resource.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={chosen.includes(resource.id)} onChange={(e) => setChosen((ids) => (e.target.checked ? [...ids, resource.id] : ids.filter((id) => id !== resource.id)))} />
              {resource.name} ({KIND_LABELS[resource.kind].one.toLowerCase()})
            </label>
          ))}
        </fieldset>
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" aria-disabled={chosen.length === 0 || undefined}>
            Transfer {all ? "all" : chosen.length}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function AnonymiseDialog({ userId, who, email, onClose, onDone }: { userId: string; who: string; email: string; onClose: () => void; onDone: (text: string) => void }) {
  const runSensitive = useStepUp();
  const [confirmEmail, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [verifying, setVerifying] = useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const result = await runSensitive(anonymiseMember, { userId, confirmEmail }, { onCodeRequested: () => setVerifying(true) });
    setVerifying(false);
    if (!result.ok) return setError(failureText(result));
    onClose();
    onDone(`${who} was anonymised: they are now ${result.data.placeholder}.`);
  };
  return (
    <Dialog
      open={!verifying}
      onOpenChange={(open) => (open ? null : onClose())}
      title={`Anonymise ${who}?`}
      description="This cannot be undone. They are disabled, every session and API key ends, and their name, email, phone, photo, properties, passkey names and sign-in identity are overwritten everywhere — the audit trail included. Their resources stay, owned by the placeholder."
      returnFocusTo={verifying ? false : undefined}>
      <form onSubmit={submit} className="space-y-3" noValidate>
        <ErrorAlert message={error} />
        <Field id="anonymise-email" label={`Type ${email} to confirm`} value={confirmEmail} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger">
            Anonymise
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
