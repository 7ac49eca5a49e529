// A console process cut down to the work under test, for lib/faults/crash.test.ts, which
// kills it with SIGKILL mid-work: `email` delivers the outbox; `job` runs one scheduled
// job that writes its effect and then hangs (inside its transaction, or after it).
// Says "working" on stdout when it is in the middle of it.
import { and, eq } from "drizzle-orm";
import { openDatabase, setDatabaseForTests } from "@/db/client";
import { insertJobOnce } from "@/db/queries/jobs";
import { emailOutbox } from "@/db/schema";
import { enqueueEmail, deliverDueEmails } from "@/lib/email";
import { JobRunner, type JobDefinition } from "@/lib/jobs/runner";

export const CRASH_JOB = "faults-crash-job";

/** The job of the test: one welcome email per key, written once however often it runs (as the expiry jobs are). */
export function crashJob(hang?: "inside" | "after", onWorking?: () => void): JobDefinition {
  return {
    name: CRASH_JOB,
    run: async ({ db, job }) => {
      await db.transaction(async (tx) => {
        const [done] = await tx.select({ id: emailOutbox.id }).from(emailOutbox).where(and(eq(emailOutbox.kind, "faults-job"), eq(emailOutbox.subject, job.key))).for("update");
        if (!done) await enqueueEmail(tx, { accountId: null, to: "jobs@faults.test", subject: job.key, text: "Done once.", kind: "faults-job" });
        if (hang === "inside") {
          onWorking?.();
          await new Promise(() => {});
        }
      });
      if (hang === "after") {
        onWorking?.();
        await new Promise(() => {});
      }
    },
  };
}

async function main() {
  const [mode, hang] = process.argv.slice(2);
  const database = await openDatabase(process.env.DATABASE_URL ? { kind: "postgres", url: process.env.DATABASE_URL } : { kind: "pglite", dataDir: process.env.CRASH_DATA_DIR! });
  setDatabaseForTests(database);
  const working = () => process.stdout.write("working\n");
  if (mode === "email") {
    working();
    await deliverDueEmails();
  } else {
    await insertJobOnce(database.db, { name: CRASH_JOB, key: "welcome-1", runAt: new Date(0) });
    const runner = new JobRunner({ db: database.db, definitions: [crashJob(hang as "inside" | "after", working)], workerId: "doomed", leaseMs: 60_000 });
    await runner.runDue();
  }
}

if (process.argv[1]?.endsWith("crash-child.ts")) void main();
