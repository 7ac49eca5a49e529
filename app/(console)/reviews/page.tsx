import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { ReviewScheduleForm } from "@/components/access-reviews/review-schedule-form";
import { StartReviewForm } from "@/components/access-reviews/start-review-form";
import { Badge } from "@/components/ui/badge";
import { SimpleTable } from "@/components/ui/simple-table";
import { requirePermission } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { formatExpiry, formatExpiryDate } from "@/lib/expiry/format";
import { DEFAULT_INACTIVE_DAYS } from "@/lib/reviews/lines";
import { listReviews } from "@/lib/reviews/read";
import { reviewSchedule } from "@/lib/reviews/schedule";

export const metadata: Metadata = { title: "Access reviews" };

const monthYear = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const DUE = { scheduled: <Badge>Scheduled</Badge>, due: <Badge tone="amber">Due</Badge>, overdue: <Badge tone="red">Overdue</Badge> };

/** O3: access reviews — start one, see every campaign (completed ones stay as evidence), and when the next is due. */
export default async function AccessReviewsPage() {
  const user = await requirePermission("reviews.manage");
  const db = await getDb();
  const at = now();
  const [reviews, schedule] = await Promise.all([listReviews(db, user.accountId), reviewSchedule(db, user.accountId, at)]);

  return (
    <section className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Access reviews</h1>
        <p className="text-sm text-slate-600">Look at who holds access that matters, decide to keep or change it, and keep the record as evidence.</p>
      </div>
      <section aria-labelledby="review-schedule-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="review-schedule-title" className="flex flex-wrap items-center gap-2 text-lg font-medium">
          Schedule {DUE[schedule.state]}
        </h2>
        <p className="text-sm text-slate-600">
          {schedule.lastCompletedAt ? `Last review completed ${formatExpiry(schedule.lastCompletedAt)}. ` : "No review completed yet. "}
          Next review due {formatExpiryDate(schedule.dueAt)}. Everyone who runs access reviews is emailed when it falls due, and again if it is not completed two weeks later.
        </p>
        <ReviewScheduleForm everyMonths={schedule.everyMonths} />
      </section>
      <StartReviewForm suggestedName={`Access review ${monthYear.format(at)}`} inactiveDays={DEFAULT_INACTIVE_DAYS} />
      <SimpleTable caption="Access reviews, newest first" headers={["Review", "Started", "Progress", "Status"]} isEmpty={reviews.length === 0} empty="No access reviews yet.">
        {reviews.map((review) => (
          <tr key={review.id}>
            <td className="px-4 py-3">
              <Link href={`/reviews/${review.id}`} className="font-medium text-brand-700 underline">
                {review.name}
              </Link>
            </td>
            <td className="px-4 py-3 text-slate-700">
              {formatExpiry(review.startedAt)} by {review.startedByName}
            </td>
            <td className="px-4 py-3 text-slate-700">
              {review.decided} of {review.lines} decided
            </td>
            <td className="px-4 py-3">{review.completedAt ? <Badge tone="green">Complete</Badge> : <Badge tone="amber">In progress</Badge>}</td>
          </tr>
        ))}
      </SimpleTable>
    </section>
  );
}
