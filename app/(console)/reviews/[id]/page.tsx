import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { LineDecisions } from "@/components/access-reviews/line-decisions";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { Badge } from "@/components/ui/badge";
import { SimpleTable } from "@/components/ui/simple-table";
import { requirePermission } from "@/lib/auth/session";
import { formatExpiry } from "@/lib/expiry/format";
import { REVIEW_DECISIONS, REVIEW_REASONS } from "@/lib/reviews/lines";
import { readReview } from "@/lib/reviews/read";
import { roleChoices, roleOptionsFor } from "@/lib/team/roles";

export const metadata: Metadata = { title: "Access review" };

/** O3: one campaign — each line with why it is there, and the reviewer's decision or the choice of one. */
export default async function AccessReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("reviews.manage");
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const db = await getDb();
  const view = await readReview(db, user, id);
  if (!view) notFound();
  const { review, lines } = view;
  const roleOptions = roleOptionsFor(user, await roleChoices(db, user.accountId));

  return (
    <section className="space-y-6">
      <p className="text-sm">
        <Link href="/reviews" className="text-brand-700 underline">
          ← Access reviews
        </Link>
      </p>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="flex flex-wrap items-center gap-2 text-2xl font-semibold">
            {review.name} {review.completedAt ? <Badge tone="green">Complete</Badge> : <Badge tone="amber">In progress</Badge>}
          </h1>
          <p className="text-sm text-slate-600">
            Started {formatExpiry(review.startedAt)} by {review.startedByName}; inactive means not seen for {review.inactiveDays} days.{" "}
            {review.completedAt ? `Completed ${formatExpiry(review.completedAt)}.` : `${view.total - view.undecided} of ${view.total} lines decided.`}
          </p>
        </div>
        <a href={`/reviews/${review.id}/export`} className="text-sm text-brand-700 underline" download>
          Export CSV
        </a>
      </div>
      <StepUpProvider>
        <SimpleTable caption={`Lines of ${review.name}`} headers={["Person", "Reason", "Why", "Decision"]} isEmpty={lines.length === 0} empty="Nothing to review: no line matched.">
          {lines.map((line) => {
            const who = line.name || line.email;
            return (
              <tr key={line.id}>
                <td className="px-4 py-3">
                  <span className="block font-medium">{who}</span>
                  <span className="block text-xs text-slate-600">{line.email}</span>
                </td>
                <td className="px-4 py-3 whitespace-nowrap">{REVIEW_REASONS[line.reason]}</td>
                <td className="px-4 py-3 text-slate-700">{line.why}</td>
                <td className="px-4 py-3">
                  {line.decision ? (
                    <p>
                      <span className="font-medium">{REVIEW_DECISIONS[line.decision]}</span>
                      <span className="block text-xs text-slate-600">
                        {line.outcome} By {line.decidedByName}, {line.decidedAt ? formatExpiry(line.decidedAt) : ""}
                      </span>
                    </p>
                  ) : (
                    <LineDecisions line={{ id: line.id, who, reason: REVIEW_REASONS[line.reason], decisions: line.decisions, roles: line.roles }} roleOptions={roleOptions} />
                  )}
                </td>
              </tr>
            );
          })}
        </SimpleTable>
      </StepUpProvider>
    </section>
  );
}
