"use client";

import { useState } from "react";
import { setScimDeleteActionAction } from "@/app/(console)/settings/provisioning/actions";
import { useSensitiveSave } from "@/components/step-up/use-sensitive-save";
import { Button } from "@/components/ui/button";

type DeleteAction = "disable" | "anonymise";

const CHOICES: { value: DeleteAction; label: string; hint: string }[] = [
  { value: "disable", label: "Disable them", hint: "Their sessions end at once; their name, address and content stay. You can enable them again." },
  {
    value: "anonymise",
    label: "Anonymise them",
    hint: "As Disable, then their name, email, phone, photo and properties are overwritten for good with a placeholder (GDPR). Their content and the audit trail stay, under the placeholder.",
  },
];

/** B3, T4: what a SCIM DELETE of a person does here (step-up). */
export function ScimDeleteCard({ action: current }: { action: DeleteAction }) {
  const [action, setAction] = useState<DeleteAction>(current);
  const { save: run, busy, message } = useSensitiveSave(setScimDeleteActionAction, (data) => (data.action === "anonymise" ? "People your identity provider deletes are anonymised." : "People your identity provider deletes are disabled."));
  const save = (event: React.FormEvent) => {
    event.preventDefault();
    void run({ action });
  };

  return (
    <section aria-labelledby="scim-delete-title" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="scim-delete-title" className="text-lg font-medium">
        When your identity provider deletes someone
      </h2>
      <form onSubmit={save} className="mt-3 space-y-3" noValidate>
        <fieldset className="space-y-2">
          <legend className="sr-only">When your identity provider deletes someone</legend>
          {CHOICES.map((choice) => (
            <label key={choice.value} className="flex gap-3 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-slate-500">
              <input
                type="radio"
                name="scim-delete-action"
                value={choice.value}
                checked={action === choice.value}
                onChange={() => setAction(choice.value)}
                aria-labelledby={`scim-delete-${choice.value}`}
                aria-describedby={`scim-delete-${choice.value}-hint`}
                className="mt-1"
              />
              <span>
                <span id={`scim-delete-${choice.value}`} className="block font-medium text-slate-900">
                  {choice.label}
                </span>
                <span id={`scim-delete-${choice.value}-hint`} className="block text-slate-600">
                  {choice.hint}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" busy={busy} disabled={action === current}>
            Save
          </Button>
          <p role="status" aria-live="polite" className={`text-sm ${message?.tone === "error" ? "text-red-700" : "text-emerald-700"}`}>
            {message?.text}
          </p>
        </div>
      </form>
    </section>
  );
}
