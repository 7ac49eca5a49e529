import { and, asc, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { jobs, type Job } from "@/db/schema";

const iso = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/**
 * Schedules a job once: a second call with the same name and key (another instance, the
 * same slot of a recurring job) adds nothing. Returns whether this call added it.
 */
export async function insertJobOnce(db: Executor, job: { name: string; key: string; runAt: Date; maxAttempts?: number; payload?: Record<string, unknown> }): Promise<boolean> {
  const rows = await db
    .insert(jobs)
    .values({ name: job.name, key: job.key, runAt: job.runAt, maxAttempts: job.maxAttempts ?? 5, payload: job.payload ?? {} })
    .onConflictDoNothing({ target: [jobs.name, jobs.key] })
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/**
 * Claims due jobs of the given names for `workerId` until `at + leaseMs`: pending ones whose
 * time has come, and running ones whose runner let the lease lapse (it died, or hangs).
 * FOR UPDATE SKIP LOCKED: runners claiming at once each get different rows, never the same.
 */
export async function claimDueJobs(db: Executor, input: { names: string[]; workerId: string; at: Date; leaseMs: number; batch: number }): Promise<Job[]> {
  if (input.names.length === 0) return [];
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.name, input.names),
        or(and(eq(jobs.status, "pending"), lte(jobs.runAt, iso(input.at))), and(eq(jobs.status, "running"), lte(jobs.lockedUntil, iso(input.at)))),
      ),
    )
    .orderBy(asc(jobs.runAt))
    .limit(input.batch)
    .for("update", { skipLocked: true });
  return db
    .update(jobs)
    .set({
      status: "running",
      attempts: sql`${jobs.attempts} + 1`,
      lockedBy: input.workerId,
      lockedUntil: new Date(input.at.getTime() + input.leaseMs),
    })
    .where(inArray(jobs.id, due))
    .returning();
}

/** The claim this runner holds: unchanged since it claimed the job (no one took it over). */
const stillOurs = (job: Pick<Job, "id" | "lockedBy" | "attempts">) =>
  and(eq(jobs.id, job.id), eq(jobs.status, "running"), eq(jobs.lockedBy, job.lockedBy!), eq(jobs.attempts, job.attempts));

export async function markJobDone(db: Executor, job: Job, at: Date): Promise<boolean> {
  const rows = await db.update(jobs).set({ status: "done", finishedAt: at, lockedUntil: null, lastError: null }).where(stillOurs(job)).returning({ id: jobs.id });
  return rows.length > 0;
}

/** A failed run: tried again at `retryAt`, or failed for good after its last attempt. */
export async function markJobFailed(db: Executor, job: Job, error: string, input: { at: Date; retryAt: Date | null }) {
  await db
    .update(jobs)
    .set(
      input.retryAt
        ? { status: "pending", runAt: input.retryAt, lockedUntil: null, lastError: error }
        : { status: "failed", finishedAt: input.at, lockedUntil: null, lastError: error },
    )
    .where(stillOurs(job));
}

/** A running job whose lease lapsed on its last attempt is not tried again. */
export async function failAbandonedJobs(db: Executor, names: string[], at: Date) {
  if (names.length === 0) return;
  await db
    .update(jobs)
    .set({ status: "failed", finishedAt: at, lockedUntil: null, lastError: "The runner stopped before finishing (lease expired) on the last attempt." })
    .where(and(inArray(jobs.name, names), eq(jobs.status, "running"), lte(jobs.lockedUntil, iso(at)), sql`${jobs.attempts} >= ${jobs.maxAttempts}`));
}

/** Finished jobs are kept a while for reading, then go. */
export async function deleteFinishedJobs(db: Executor, before: Date) {
  await db.delete(jobs).where(and(inArray(jobs.status, ["done", "failed"]), lte(jobs.finishedAt, iso(before))));
}

export async function findJob(db: Executor, name: string, key: string) {
  const [row] = await db.select().from(jobs).where(and(eq(jobs.name, name), eq(jobs.key, key))).limit(1);
  return row ?? null;
}
