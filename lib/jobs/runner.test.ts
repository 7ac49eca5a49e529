import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Database, type Db } from "@/db/client";
import { claimDueJobs, findJob, insertJobOnce, markJobDone } from "@/db/queries/jobs";
import { jobs } from "@/db/schema";
import { useFreshDatabase } from "@/db/testing";
import { JobRunner, retryDelayMs, slotOf, type JobDefinition } from "./runner";

// The runner on one database with two instances: on PGlite both share the one embedded
// session; with DATABASE_URL each has its own connection pool to the server, as two
// console processes would, so their claims really race.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let second: Database | undefined;
let dbA: Db;
let dbB: Db;

beforeAll(async () => {
  database = await useFreshDatabase();
  second = database.url ? await openDatabase({ kind: "postgres", url: database.url }) : undefined;
  dbA = database.db;
  dbB = second?.db ?? database.db;
});
afterAll(async () => {
  await second?.close();
  await database.close();
});
beforeEach(async () => {
  await dbA.delete(jobs);
});

const MINUTE = 60_000;
/** A clock the test moves by hand (no sleeps). */
function testClock(start: string) {
  let at = new Date(start).getTime();
  return { now: () => new Date(at), set: (iso: string) => (at = new Date(iso).getTime()), advance: (ms: number) => (at += ms) };
}

function counting(name: string, options: Partial<JobDefinition> = {}) {
  const runs: { at: string; key: string }[] = [];
  const definition: JobDefinition = { name, everyMs: 5 * MINUTE, ...options, run: async ({ at, job }) => void runs.push({ at: at.toISOString(), key: job.key }) };
  return { definition, runs };
}

describe("scheduled jobs", () => {
  it("runs each slot of a recurring job exactly once across two runners, then the next slot once", async () => {
    const clock = testClock("2026-12-01T10:01:00Z");
    const { definition, runs } = counting("tick");
    const a = new JobRunner({ db: dbA, definitions: [definition], clock: clock.now, workerId: "a" });
    const b = new JobRunner({ db: dbB, definitions: [definition], clock: clock.now, workerId: "b" });

    // Both schedule and claim at the same moment, several times over.
    await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
    expect(runs).toEqual([{ at: "2026-12-01T10:01:00.000Z", key: "2026-12-01T10:00:00.000Z" }]);

    // Later in the same slot: nothing more.
    clock.set("2026-12-01T10:04:59Z");
    await Promise.all([a.runDue(), b.runDue()]);
    expect(runs).toHaveLength(1);

    // The next slot runs once, on whichever runner claimed it.
    clock.set("2026-12-01T10:05:30Z");
    await Promise.all([b.runDue(), a.runDue()]);
    expect(runs.map((run) => run.key)).toEqual(["2026-12-01T10:00:00.000Z", "2026-12-01T10:05:00.000Z"]);
    const rows = await dbA.select().from(jobs).where(eq(jobs.name, "tick"));
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([
      ["done", 1],
      ["done", 1],
    ]);
  });

  it("keeps many concurrent claims apart: each of 20 due jobs runs once", async () => {
    const clock = testClock("2026-12-01T12:00:00Z");
    const ran: string[] = [];
    const definition: JobDefinition = { name: "one-off", run: async ({ job }) => void ran.push(job.key) };
    for (let i = 0; i < 20; i++) await insertJobOnce(dbA, { name: "one-off", key: `k${i}`, runAt: clock.now() });
    // Scheduling the same key again adds nothing.
    expect(await insertJobOnce(dbB, { name: "one-off", key: "k0", runAt: clock.now() })).toBe(false);
    const runners = ["a", "b"].map((id, i) => new JobRunner({ db: i === 0 ? dbA : dbB, definitions: [definition], clock: clock.now, workerId: id, batch: 3 }));
    const finished = await Promise.all(runners.flatMap((runner) => [runner.runDue(), runner.runDue()]));
    expect(ran.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`).sort());
    // Overlapping calls of one runner share a run, so each job counts once in the totals.
    expect(finished[0] + finished[2]).toBe(20);
  });

  it("retries a failing job with back-off on the clock, then gives up after its last attempt", async () => {
    const clock = testClock("2026-12-01T09:00:00Z");
    let failures = 2;
    const flaky: JobDefinition = {
      name: "flaky",
      maxAttempts: 3,
      run: async () => {
        if (failures-- > 0) throw new Error(`provider down (${failures + 1} left)`);
      },
    };
    await insertJobOnce(dbA, { name: "flaky", key: "once", runAt: clock.now(), maxAttempts: 3 });
    const runner = new JobRunner({ db: dbA, definitions: [flaky], clock: clock.now });

    expect(await runner.runDue()).toBe(0);
    let job = (await findJob(dbA, "flaky", "once"))!;
    expect([job.status, job.attempts, job.lastError]).toEqual(["pending", 1, "provider down (2 left)"]);
    expect(job.runAt.getTime()).toBe(clock.now().getTime() + retryDelayMs(1));

    // Not before its time.
    clock.advance(retryDelayMs(1) - 1);
    expect(await runner.runDue()).toBe(0);
    expect((await findJob(dbA, "flaky", "once"))!.attempts).toBe(1);

    clock.advance(1);
    await runner.runDue();
    clock.advance(retryDelayMs(2));
    expect(await runner.runDue()).toBe(1);
    job = (await findJob(dbA, "flaky", "once"))!;
    expect([job.status, job.attempts, job.lastError]).toEqual(["done", 3, null]);

    // A job that keeps failing stops at maxAttempts.
    failures = 10;
    await insertJobOnce(dbA, { name: "flaky", key: "hopeless", runAt: clock.now(), maxAttempts: 3 });
    for (let i = 0; i < 5; i++) {
      await runner.runDue();
      clock.advance(retryDelayMs(10));
    }
    job = (await findJob(dbA, "flaky", "hopeless"))!;
    expect([job.status, job.attempts]).toEqual(["failed", 3]);
  });

  it("lets another runner take over a job whose runner stopped, once its lease has lapsed", async () => {
    const clock = testClock("2026-12-01T08:00:00Z");
    const { definition, runs } = counting("leased", { everyMs: undefined });
    await insertJobOnce(dbA, { name: "leased", key: "x", runAt: clock.now() });
    // Runner A claims the job and then dies without finishing it.
    const [claimed] = await claimDueJobs(dbA, { names: ["leased"], workerId: "a", at: clock.now(), leaseMs: 10 * MINUTE, batch: 1 });
    expect(claimed.lockedBy).toBe("a");

    const b = new JobRunner({ db: dbB, definitions: [definition], clock: clock.now, workerId: "b", leaseMs: 10 * MINUTE });
    // While A's lease holds, B leaves it alone.
    clock.advance(10 * MINUTE - 1);
    expect(await b.runDue()).toBe(0);
    expect(runs).toHaveLength(0);

    clock.advance(1);
    expect(await b.runDue()).toBe(1);
    expect(runs).toHaveLength(1);
    const job = (await findJob(dbA, "leased", "x"))!;
    expect([job.status, job.attempts, job.lockedBy]).toEqual(["done", 2, "b"]);
    // A comes back and reports its stale claim: nothing changes.
    expect(await markJobDone(dbA, claimed, clock.now())).toBe(false);
  });

  it("computes slots from the clock: a slot starts at a multiple of its period", () => {
    expect(slotOf(new Date("2026-12-01T10:04:59.999Z"), 5 * MINUTE).toISOString()).toBe("2026-12-01T10:00:00.000Z");
    expect(slotOf(new Date("2026-12-01T10:05:00Z"), 5 * MINUTE).toISOString()).toBe("2026-12-01T10:05:00.000Z");
    expect(retryDelayMs(1)).toBe(30_000);
    expect(retryDelayMs(20)).toBe(3_600_000);
  });
});
