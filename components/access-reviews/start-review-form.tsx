"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { startReview } from "@/app/(console)/reviews/actions";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Field } from "@/components/ui/field";

/** O3: starts a campaign — a snapshot of what to look at now — and opens it. */
export function StartReviewForm({ suggestedName, inactiveDays }: { suggestedName: string; inactiveDays: number }) {
  const [name, setName] = useState(suggestedName);
  const [days, setDays] = useState(String(inactiveDays));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const router = useRouter();

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    const result = await startReview({ name, inactiveDays: days });
    if (result.ok) return router.push(`/reviews/${result.data.reviewId}`);
    setBusy(false);
    if ("fieldErrors" in result && result.fieldErrors) setFieldErrors(result.fieldErrors);
    else setError(result.error ?? "Something went wrong.");
  };

  return (
    <section aria-labelledby="start-review-title" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="start-review-title" className="text-lg font-medium">
        Start a review
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Lists admins and anyone with administration permissions, people inactive for the days you choose, access expiring within 30 days, people without 2FA past the grace period, and
        invitations older than 30 days. Decide each line; the review is complete when every line is decided.
      </p>
      <form onSubmit={submit} className="mt-3 grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-end" noValidate>
        <Field id="review-name" label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fieldErrors.name} maxLength={120} />
        <Field id="review-inactive-days" label="Inactive after (days)" type="number" min={1} value={days} onChange={(e) => setDays(e.target.value)} error={fieldErrors.inactiveDays} />
        <Button type="submit" busy={busy}>
          Start review
        </Button>
      </form>
      <div className="mt-3">
        <ErrorAlert message={error} />
      </div>
    </section>
  );
}
