"use client";

import { useState } from "react";
import { setAuditRetention } from "@/app/(console)/audit/actions";
import { useSensitiveSave } from "@/components/step-up/use-sensitive-save";
import { Button } from "@/components/ui/button";

/** O1: how long the account keeps its audit log — forever unless set (step-up). */
export function RetentionCard({ days: current }: { days: number | null }) {
  const [days, setDays] = useState(current === null ? "" : String(current));
  const { save: run, busy, message } = useSensitiveSave(setAuditRetention, (data) => (data.days === null ? "The audit log is kept forever." : `Events older than ${data.days} days are removed daily.`));
  const save = (event: React.FormEvent) => {
    event.preventDefault();
    void run({ days: days.trim() === "" ? null : Number(days) });
  };

  return (
    <section aria-labelledby="audit-retention-title" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="audit-retention-title" className="text-lg font-medium">
        Retention
      </h2>
      <p className="mt-1 text-sm text-slate-600">Leave empty to keep every event forever. Otherwise a daily job removes older events and records that it did.</p>
      <form onSubmit={save} className="mt-3 flex flex-wrap items-end gap-3" noValidate>
        <div className="space-y-1">
          <label htmlFor="audit-retention-days" className="block text-sm font-medium text-slate-700">
            Keep events (days)
          </label>
          <input id="audit-retention-days" type="number" min={30} max={3650} value={days} onChange={(e) => setDays(e.target.value)} className="w-32 rounded-md border border-slate-500 px-3 py-2 text-sm" />
        </div>
        <Button type="submit" busy={busy}>
          Save retention
        </Button>
        <p role="status" aria-live="polite" className={`text-sm ${message?.tone === "error" ? "text-red-700" : "text-emerald-700"}`}>
          {message?.text}
        </p>
      </form>
    </section>
  );
}
