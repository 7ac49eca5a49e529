"use client";

import { useState } from "react";
import { setReviewSchedule } from "@/app/(console)/reviews/actions";
import { FormMessage, useActionForm } from "@/components/account/use-action-form";
import { Button } from "@/components/ui/button";

const CHOICES = [1, 2, 3, 4, 6, 12];
const describe = (months: number) => (months === 1 ? "Every month" : months === 3 ? "Every 3 months (quarterly)" : months === 12 ? "Every year" : `Every ${months} months`);

/** O3: how often access is reviewed; reviewers are emailed when a review falls due, and when it is overdue. */
export function ReviewScheduleForm({ everyMonths }: { everyMonths: number }) {
  const [months, setMonths] = useState(String(everyMonths));
  const { busy, message, submit } = useActionForm(setReviewSchedule, "Review schedule saved.");
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit({ everyMonths: months });
      }}
      className="flex flex-wrap items-end gap-3"
      noValidate
    >
      <div className="space-y-1">
        <label htmlFor="review-every" className="block text-sm font-medium text-slate-700">
          Review access
        </label>
        <select id="review-every" value={months} onChange={(e) => setMonths(e.target.value)} className="rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
          {CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {describe(choice)}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="secondary" busy={busy}>
        Save schedule
      </Button>
      <FormMessage message={message} />
    </form>
  );
}
