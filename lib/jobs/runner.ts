import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { claimDueJobs, deleteFinishedJobs, failAbandonedJobs, insertJobOnce, markJobDone, markJobFailed } from "@/db/queries/jobs";
import type { Job } from "@/db/schema";
import { now } from "@/lib/clock";

/** What a job's code gets: the database, the clock's time of this run, and the job's row. */
export type JobContext = { db: Db; at: Date; job: Job };

export type JobDefinition = {
  name: string;
  /** Recurring: once per slot of this many milliseconds of the clock (slots start at multiples of it). */
  everyMs?: number;
  /** Attempts before a failing job is given up (each retry waits longer). */
  maxAttempts?: number;
  /**
   * The work. It may run again after a crash or a lapsed lease (at least once), so it
   * must be idempotent: the expiry jobs note what they have done in the same transaction
   * as doing it.
   */
  run: (ctx: JobContext) => Promise<void>;
};

export type RunnerOptions = {
  db: Db;
  definitions: readonly JobDefinition[];
  /** Tests inject one; the console uses lib/clock.ts. */
  clock?: () => Date;
  /** Names this runner in `jobs.locked_by`. */
  workerId?: string;
  /** How long a claim holds before another runner may take the job over. */
  leaseMs?: number;
  batch?: number;
};

const KEEP_FINISHED_MS = 30 * 86_400_000;

/** Back-off before retry n: 30 s, 1 min, 2 min … capped at an hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(attempt - 1, 0), 3_600_000);
}

/** The start of the slot `at` falls in, for a job recurring every `everyMs`. */
export function slotOf(at: Date, everyMs: number): Date {
  return new Date(Math.floor(at.getTime() / everyMs) * everyMs);
}

/**
 * The scheduled-jobs runner (a thin one on PostgreSQL, see README "Scheduled jobs"): each
 * tick schedules the current slot of every recurring job — the (name, key) unique index
 * makes that one row however many instances do it — then claims due jobs with FOR UPDATE
 * SKIP LOCKED and runs them. So with several consoles on one database every slot runs
 * once, on whichever instance claims it first.
 */
export class JobRunner {
  readonly workerId: string;
  private readonly db: Db;
  private readonly definitions: Map<string, JobDefinition>;
  private readonly clock: () => Date;
  private readonly leaseMs: number;
  private readonly batch: number;
  private running: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: RunnerOptions) {
    this.db = options.db;
    this.definitions = new Map(options.definitions.map((definition) => [definition.name, definition]));
    this.clock = options.clock ?? now;
    this.workerId = options.workerId ?? `runner-${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 10 * 60_000;
    this.batch = options.batch ?? 5;
  }

  /** Adds the current slot of every recurring job (once, whoever adds it). */
  async schedule(at = this.clock()) {
    for (const definition of this.definitions.values()) {
      if (!definition.everyMs) continue;
      const slot = slotOf(at, definition.everyMs);
      await insertJobOnce(this.db, { name: definition.name, key: slot.toISOString(), runAt: slot, maxAttempts: definition.maxAttempts });
    }
  }

  /**
   * Runs every due job once. Overlapping calls in one process share a run. Returns how
   * many jobs this runner finished.
   */
  runDue(): Promise<number> {
    this.running ??= this.runLoop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runLoop(): Promise<number> {
    const names = [...this.definitions.keys()];
    await this.schedule();
    await failAbandonedJobs(this.db, names, this.clock());
    let finished = 0;
    for (;;) {
      const claimed = await claimDueJobs(this.db, { names, workerId: this.workerId, at: this.clock(), leaseMs: this.leaseMs, batch: this.batch });
      if (claimed.length === 0) return finished;
      for (const job of claimed) if (await this.runOne(job)) finished += 1;
    }
  }

  private async runOne(job: Job): Promise<boolean> {
    const definition = this.definitions.get(job.name)!;
    const at = this.clock();
    try {
      await definition.run({ db: this.db, at, job });
      return await markJobDone(this.db, job, this.clock());
    } catch (thrown) {
      const error = (thrown instanceof Error ? thrown.message : String(thrown)).slice(0, 500);
      const retryAt = job.attempts < job.maxAttempts ? new Date(at.getTime() + retryDelayMs(job.attempts)) : null;
      console.warn(`[jobs] ${job.name} ${job.key} failed (attempt ${job.attempts} of ${job.maxAttempts}): ${error.slice(0, 200)}`);
      await markJobFailed(this.db, job, error, { at, retryAt });
      return false;
    }
  }

  /** Polls in the background (started once per server process), never overlapping itself. */
  start(intervalMs = 5_000) {
    if (this.timer) return;
    const tick = () => void this.runDue().catch((error) => console.error("[jobs] run failed", error));
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** The runner's own housekeeping: finished jobs are kept 30 days. */
export const cleanUpJobs: JobDefinition = {
  name: "jobs-cleanup",
  everyMs: 86_400_000,
  run: ({ db, at }) => deleteFinishedJobs(db, new Date(at.getTime() - KEEP_FINISHED_MS)),
};
