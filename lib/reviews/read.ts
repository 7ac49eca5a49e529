import type { Executor } from "@/db/client";
import { findReview, listReviews, reviewLinesOf } from "@/db/queries/reviews";
import type { Actor } from "@/lib/actions/actor";
import { csvLine } from "@/lib/audit/export";
import { recordAuditBy } from "@/lib/audit";
import { resolveRoles } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { now } from "@/lib/clock";
import { maySeeLine } from "./campaigns";
import { decisionsFor, REVIEW_DECISIONS, REVIEW_REASONS } from "./lines";

export { listReviews };

/**
 * O3: a campaign and the lines of it this principal may see (A4: a reviewer who sees only
 * some units sees only their members' lines), each with the decisions it offers now.
 * Null when there is no such campaign in their account.
 */
export async function readReview(db: Executor, principal: Principal, reviewId: string) {
  const review = await findReview(db, principal.accountId, reviewId);
  if (!review) return null;
  const all = await reviewLinesOf(db, review.id, now());
  const lines = all
    .filter((line) => maySeeLine(principal, line))
    .map(({ roles, ...line }) => ({
      ...line,
      decisions: line.decision ? [] : decisionsFor(line, line.status),
      // For Change role: the roles they hold for the whole account now.
      roles: resolveRoles(roles).filter((role) => !role.unit).map((role) => role.key),
    }));
  return { review, lines, total: all.length, undecided: all.filter((line) => !line.decision).length };
}

export type ReviewView = NonNullable<Awaited<ReturnType<typeof readReview>>>;

export const REVIEW_CSV_COLUMNS = ["reason", "name", "email", "why", "decision", "outcome", "decided_by", "decided_at"] as const;

/**
 * O3: a campaign as evidence — a heading saying which review, who started it and when it
 * was completed, then one row per line the principal may see — and the export audited.
 */
export async function exportReviewCsv(db: Executor, actor: Actor, reviewId: string, at: Date): Promise<{ name: string; csv: string } | null> {
  const view = await readReview(db, actor.principal, reviewId);
  if (!view) return null;
  const { review, lines } = view;
  const state = review.completedAt ? `completed ${review.completedAt.toISOString()}` : `in progress (${view.undecided} of ${view.total} lines undecided)`;
  const heading = `# Roster access review "${review.name}"; account ${review.accountId}; started ${review.startedAt.toISOString()} by ${review.startedByName}; ${state}; exported ${at.toISOString()}`;
  const rows = lines.map((line) =>
    csvLine([REVIEW_REASONS[line.reason], line.name, line.email, line.why, line.decision ? REVIEW_DECISIONS[line.decision] : "", line.outcome, line.decidedByName, line.decidedAt?.toISOString()]),
  );
  await recordAuditBy(db, actor, { action: "review.exported", target: { type: "access_review", id: review.id }, details: { name: review.name, lines: lines.length } });
  return { name: `access-review-${review.startedAt.toISOString().slice(0, 10)}.csv`, csv: csvLine([heading]) + csvLine(REVIEW_CSV_COLUMNS) + rows.join("") };
}
