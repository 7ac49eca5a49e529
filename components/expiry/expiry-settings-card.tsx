"use client";

import { useState } from "react";
import { setExpiryWarningDays } from "@/app/(console)/users/actions";
import { useSensitiveSave } from "@/components/step-up/use-sensitive-save";
import { Button } from "@/components/ui/button";

/** A5: how many days before their access ends people are warned by email (step-up). */
export function ExpirySettingsCard({ warningDays }: { warningDays: number }) {
  const [days, setDays] = useState(String(warningDays));
  const { save: run, busy, message } = useSensitiveSave(setExpiryWarningDays, (data) => `People are warned ${data.days} ${data.days === 1 ? "day" : "days"} before their access expires.`);
  const save = (event: React.FormEvent) => {
    event.preventDefault();
    void run({ days: days === "" ? Number.NaN : Number(days) });
  };

  return (
    <section aria-labelledby="access-expiry-title" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="access-expiry-title" className="text-lg font-medium">
        Access expiry
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        A membership, a role or an application can be given until a date; access then ends by itself. Each person is emailed before theirs ends, and Admins get a summary of what expired.
      </p>
      <form onSubmit={save} className="mt-3 flex flex-wrap items-end gap-3" noValidate>
        <div className="space-y-1">
          <label htmlFor="expiry-warning-days" className="block text-sm font-medium text-slate-700">
            Warn people (days before)
          </label>
          <input id="expiry-warning-days" type="number" min={1} max={90} value={days} onChange={(e) => setDays(e.target.value)} className="w-28 rounded-md border border-slate-500 px-3 py-2 text-sm" />
        </div>
        <Button type="submit" busy={busy}>
          Save warning period
        </Button>
        <p role="status" aria-live="polite" className={`text-sm ${message?.tone === "error" ? "text-red-700" : "text-emerald-700"}`}>
          {message?.text}
        </p>
      </form>
    </section>
  );
}
