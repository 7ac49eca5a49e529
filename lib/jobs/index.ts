import { getDb } from "@/db/client";
import { auditRetentionJob } from "@/lib/audit/retention";
import { accessExpiryJob, expiryWarningJob } from "@/lib/expiry/jobs";
import { reviewRemindersJob } from "@/lib/reviews/schedule";
import { twoFactorSnapshotJob } from "@/lib/security-overview/snapshots";
import { cleanUpJobs, JobRunner, type JobDefinition } from "./runner";

export { JobRunner, type JobDefinition, type JobContext } from "./runner";

/** Every scheduled job of the console (A5 expiry and warnings, O1 audit retention, O3 review reminders, B4 2FA snapshots; the runner's own clean-up). */
export const JOBS: readonly JobDefinition[] = [accessExpiryJob, expiryWarningJob, auditRetentionJob, reviewRemindersJob, twoFactorSnapshotJob, cleanUpJobs];

let runner: JobRunner | undefined;

/**
 * Starts this process's runner (lib/startup.ts). Every console instance runs one; the
 * database decides which of them runs each job, once.
 */
export async function startJobRunner(intervalMs = 5_000) {
  if (runner) return runner;
  runner = new JobRunner({ db: await getDb(), definitions: JOBS });
  runner.start(intervalMs);
  return runner;
}

/** Stops this process's runner (tests that started the console's workers). */
export function stopJobRunner() {
  runner?.stop();
  runner = undefined;
}
