"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { setProperties } from "@/app/(console)/users/[id]/actions";
import { failureText, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";

export type MemberPropertyField = { id: string; key: string; label: string; type: "text" | "choice" | "date" | "unit"; options: { value: string; label: string }[]; value: string };

/**
 * A7: a member's property values, changed together — with "Verify it's you", since an
 * access rule may give or take a role by them.
 */
export function MemberProperties({ userId, who, fields, editable }: { userId: string; who: string; fields: MemberPropertyField[]; editable: boolean }) {
  const router = useRouter();
  const runSensitive = useStepUp();
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(fields.map((f) => [f.id, f.value])));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);

  if (!editable) {
    return (
      <dl aria-label={`Properties of ${who}`} className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        {fields.map((field) => (
          <div key={field.id} className="contents">
            <dt className="text-slate-600">{field.label}</dt>
            <dd>{field.options.find((o) => o.value === field.value)?.label ?? (field.value || "—")}</dd>
          </div>
        ))}
      </dl>
    );
  }

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const changed = Object.fromEntries(fields.filter((f) => values[f.id] !== f.value).map((f) => [f.id, values[f.id]]));
    const result = await runSensitive(setProperties, { userId, values: changed });
    setBusy(false);
    if (result.ok) {
      setMessage({ text: result.data.changed ? `Saved ${who}'s properties.` : "Nothing to change.", tone: "ok" });
      router.refresh();
    } else {
      setMessage({ text: failureText(result), tone: "error" });
    }
  };

  const inputClass = "block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm";
  return (
    <form onSubmit={save} aria-label={`Properties of ${who}`} className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2">
        {fields.map((field) => (
          <div key={field.id} className="space-y-1 text-sm">
            <label htmlFor={`property-${field.id}`} className="block font-medium text-slate-700">
              {field.label}
            </label>
            {field.type === "text" ? (
              <input id={`property-${field.id}`} className={inputClass} value={values[field.id]} maxLength={200} onChange={(e) => setValues({ ...values, [field.id]: e.target.value })} />
            ) : field.type === "date" ? (
              <input id={`property-${field.id}`} type="date" className={inputClass} value={values[field.id]} onChange={(e) => setValues({ ...values, [field.id]: e.target.value })} />
            ) : (
              <select id={`property-${field.id}`} className={inputClass} value={values[field.id]} onChange={(e) => setValues({ ...values, [field.id]: e.target.value })}>
                <option value="">No value</option>
                {field.options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            )}
          </div>
        ))}
      </div>
      <Button type="submit" busy={busy}>
        Save properties
      </Button>
      {message ? (
        <p role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "text-sm text-red-700" : "text-sm text-green-800"}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
