import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, setDatabaseForTests, type Database } from "@/db/client";
import { findJob } from "@/db/queries/jobs";
import { useFreshDatabase } from "@/db/testing";
import { emailOutbox } from "@/db/schema";
import { startMockResend, type MockResend } from "@/e2e/mock-servers/resend";
import { resetConfigForTests } from "@/lib/config";
import { deliverDueEmails, enqueueEmail } from "@/lib/email";
import { JobRunner } from "@/lib/jobs/runner";
import { CRASH_JOB, crashJob } from "./crash-child";

// The console killed mid-work (SIGKILL: no clean-up runs) while it sends an email and while
// a scheduled job runs; after a restart nothing is sent twice and nothing is forgotten.
// The work runs in a child process (lib/faults/crash-child.ts) on the test's database: a
// server database it shares, or on PGlite the data folder it owns until it is killed.
// A child process starts slowly on a busy machine (TypeScript, then the database): minutes allowed.
const SLOW = 240_000;
const server = process.env.DATABASE_URL;
let mock: MockResend;
let dataDir: string | undefined;
let url: string | undefined;
let fresh: Awaited<ReturnType<typeof useFreshDatabase>> | undefined;
let open: Database | undefined;

/** The database, as this process (the console after its restart) sees it. */
async function db() {
  if (fresh) return fresh.db;
  open ??= await openDatabase({ kind: "pglite", dataDir: dataDir! });
  setDatabaseForTests(open);
  return open.db;
}
/** PGlite: one process at a time holds the data folder. */
async function letGo() {
  if (fresh || !open) return;
  setDatabaseForTests(undefined);
  await open.close();
  open = undefined;
}

beforeAll(async () => {
  mock = await startMockResend();
  process.env.RESEND_API_KEY = "re_test_key";
  process.env.RESEND_BASE_URL = mock.url;
  resetConfigForTests();
  if (server) {
    fresh = await useFreshDatabase();
    url = fresh.url;
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), "roster-crash-"));
  }
}, 120_000);
afterAll(async () => {
  await letGo();
  await fresh?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await mock.close();
  delete process.env.RESEND_API_KEY;
  delete process.env.RESEND_BASE_URL;
  resetConfigForTests();
});

/** Starts the doomed console; resolves once it says it is in the middle of its work. */
function startChild(...args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "crash-child.ts"), ...args], {
    env: { ...process.env, ...(url ? { DATABASE_URL: url } : { CRASH_DATA_DIR: dataDir }) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("working") && resolve(child));
    child.on("exit", (code) => reject(new Error(`the child ended (${code}) before it was at work`)));
  });
}
function kill(child: ChildProcess) {
  const gone = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  return gone;
}
/** The time after the dead console's lease has run out (it would have renewed it, were it alive). */
const leaseLapsed = async () => (await db()).update(emailOutbox).set({ nextAttemptAt: sql`now() - interval '1 second'` });

describe(`the console killed mid-work (${server ? "PostgreSQL server" : "embedded PGlite"})`, () => {
  for (const provider of ["took the message, its answer lost", "had not taken the message"] as const) {
    it(`while sending an email the provider ${provider}: after a restart it arrives exactly once`, async () => {
      const database = await db();
      await database.delete(emailOutbox);
      mock.requests.length = 0;
      const id = (await database.transaction((tx) => enqueueEmail(tx, { accountId: null, to: "crash@faults.test", subject: provider, text: "Once.", kind: "invitation" })))!;
      await letGo();

      mock.fault({ kind: "hang", count: 1, accept: provider === "took the message, its answer lost" });
      const child = await startChild("email");
      await mock.waitForRequests(1);
      await kill(child);

      // Restarted: the claim of the dead console is not lost, and once its lease lapses the message is retried.
      await leaseLapsed();
      expect(await deliverDueEmails()).toBe(1);
      const [row] = await (await db()).select().from(emailOutbox).where(eq(emailOutbox.id, id));
      expect(row.status).toBe("sent");
      expect(mock.requests.map((r) => r.idempotencyKey)).toEqual([`outbox-${id}`, `outbox-${id}`]);
      expect(mock.delivered().map((m) => m.subject)).toEqual([provider]);
    }, SLOW);
  }

  for (const hang of ["inside", "after"] as const) {
    it(`while a scheduled job runs (killed ${hang === "inside" ? "before its transaction committed" : "after it committed, before it was marked done"}): the job is run again and its work done once`, async () => {
      const database = await db();
      await database.delete(emailOutbox);
      await letGo();

      const child = await startChild("job", hang);
      await kill(child);

      const after = await db();
      const stale = await findJob(after, CRASH_JOB, "welcome-1");
      expect(stale).toMatchObject({ status: "running", lockedBy: "doomed", attempts: 1 });
      // Restarted, with the clock past the dead runner's lease.
      const runner = new JobRunner({ db: after, definitions: [crashJob()], clock: () => new Date(stale!.lockedUntil!.getTime() + 1000) });
      expect(await runner.runDue()).toBe(1);
      expect(await findJob(after, CRASH_JOB, "welcome-1")).toMatchObject({ status: "done", attempts: 2 });
      const effects = await after.select().from(emailOutbox).where(eq(emailOutbox.kind, "faults-job"));
      expect(effects.map((e) => e.subject)).toEqual(["welcome-1"]);
      // Cleaned for the next case.
      await after.delete(emailOutbox);
      const { jobs } = await import("@/db/schema");
      await after.delete(jobs);
    }, SLOW);
  }
});
