import type { Db, Executor } from "@/db/client";
import { lastCompletedReviewAt, noteReviewReminder, dueReviews, reviewersOf, reviewPolicyOf, setReviewEveryMonths } from "@/db/queries/reviews";
import type { Actor } from "@/lib/actions/actor";
import { recordAuditBy } from "@/lib/audit";
import { SYSTEM_ROLE_KEYS, SYSTEM_ROLES } from "@/lib/auth/permissions";
import { enqueueEmail, kickEmailDelivery } from "@/lib/email";
import { accessReviewReminderEmail } from "@/lib/email/templates";
import type { JobDefinition } from "@/lib/jobs/runner";

export const DEFAULT_REVIEW_EVERY_MONTHS = 3;
export const REVIEW_EVERY_MONTHS_MAX = 12;
/** A review not completed this long after it fell due is overdue: the second reminder. */
export const OVERDUE_AFTER_DAYS = 14;
export const REVIEW_REMINDERS_EVERY_MS = 60 * 60_000;

const overdueAt = (dueAt: Date) => new Date(dueAt.getTime() + OVERDUE_AFTER_DAYS * 86_400_000);

/** Where the account stands: when the next review is due, and whether it is due or overdue at `at`. */
export async function reviewSchedule(db: Executor, accountId: string, at: Date) {
  const { everyMonths, createdAt } = await reviewPolicyOf(db, accountId);
  const last = await lastCompletedReviewAt(db, accountId);
  const dueAt = addMonths(last ?? createdAt, everyMonths);
  const state = at >= overdueAt(dueAt) ? ("overdue" as const) : at >= dueAt ? ("due" as const) : ("scheduled" as const);
  return { everyMonths, lastCompletedAt: last, dueAt, state };
}

/** Calendar months, as PostgreSQL's make_interval(months => n) adds them (the job's query). */
function addMonths(from: Date, months: number) {
  const to = new Date(from);
  const day = to.getUTCDate();
  to.setUTCDate(1);
  to.setUTCMonth(to.getUTCMonth() + months);
  const last = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() + 1, 0)).getUTCDate();
  to.setUTCDate(Math.min(day, last));
  return to;
}

/** O3: how often the account reviews access (months; quarterly by default). */
export async function setReviewSchedule(tx: Executor, actor: Actor, input: { everyMonths: number }) {
  const before = await setReviewEveryMonths(tx, actor.principal.accountId, input.everyMonths);
  await recordAuditBy(tx, actor, { action: "review.schedule_changed", target: { type: "account", id: actor.principal.accountId }, details: { before, after: input.everyMonths } });
  return { everyMonths: input.everyMonths };
}

const REVIEWER_ROLES = SYSTEM_ROLE_KEYS.filter((key) => (SYSTEM_ROLES[key].permissions as readonly string[]).includes("reviews.manage"));

/**
 * O3 "access-review-reminders": emails each account's reviewers (reviews.manage for the
 * whole account) when a review falls due, and again when it is overdue — each reminder
 * once per due date, noted in the transaction that queues its emails, so a second runner,
 * or a run after a crash, sends nothing again. Completing a review moves the due date on.
 */
export async function sendReviewReminders(db: Db, at: Date): Promise<number> {
  let sent = 0;
  for (const account of await dueReviews(db, at)) {
    const kind = at >= overdueAt(account.dueAt) ? "overdue" : "due";
    if (kind === "due" ? account.dueSent : account.overdueSent) continue;
    sent += await db.transaction(async (tx) => {
      if (!(await noteReviewReminder(tx, { accountId: account.accountId, kind, dueAt: account.dueAt, sentAt: at }))) return 0;
      const reviewers = await reviewersOf(tx, account.accountId, at, REVIEWER_ROLES);
      for (const reviewer of reviewers) {
        await enqueueEmail(tx, { accountId: account.accountId, to: reviewer.email, kind: `access-review-${kind}`, ...accessReviewReminderEmail({ accountName: account.accountName, dueAt: account.dueAt, overdue: kind === "overdue" }) });
      }
      return reviewers.length;
    });
  }
  if (sent > 0) kickEmailDelivery();
  return sent;
}

export const reviewRemindersJob: JobDefinition = { name: "access-review-reminders", everyMs: REVIEW_REMINDERS_EVERY_MS, run: ({ db, at }) => sendReviewReminders(db, at).then(() => {}) };
