import { databaseOpened, getDatabase } from "@/db/client";
import { DEMO, DEMO_PASSWORD, seedDemoIfEmpty } from "@/db/demo";
import { findUserByEmail } from "@/db/queries/users";
import { config } from "@/lib/config";
import { isConnectionError } from "@/lib/db-errors";
import { startEmailWorker } from "@/lib/email";
import { startJobRunner } from "@/lib/jobs";

/** Waits between attempts to reach the database at start: 1 s, 2 s, 4 s … at most 30 s. */
const startupBackOff = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 30_000);

/**
 * Runs once per server process (instrumentation.ts): checks the secrets, then — once the
 * database can be reached — migrates, seeds the demo and starts the workers. A database
 * that is unreachable at start is not fatal: the console serves its error page meanwhile
 * and keeps trying, and starts its email and job workers when the database is back.
 * When the database answers at once, this returns when all of that is done (as before:
 * pages are served on a migrated, seeded database); when it does not, it returns after the
 * first failed attempt and `ready` settles later (tests wait for it).
 */
export async function startServer(options: { backOff?: (attempt: number) => number } = {}): Promise<{ ready: Promise<void> }> {
  const cfg = config();
  // Fail at start, not on the first request, when a required secret is missing.
  void cfg.authSecret;
  void cfg.encryptionKey;
  let unreachable: () => void = () => {};
  const firstFailure = new Promise<void>((resolve) => (unreachable = resolve));
  const backOff = options.backOff ?? startupBackOff;
  const ready = startWhenReachable((attempt) => {
    unreachable();
    return backOff(attempt);
  });
  // Anything but an unreachable database (a failed migration, say) still fails the start, as before.
  await Promise.race([ready, firstFailure]);
  ready.catch((error: unknown) => {
    console.error("[startup] the console could not start", error);
    process.exitCode = 1;
    throw error;
  });
  return { ready };
}

async function reachDatabase(backOff: (attempt: number) => number) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await getDatabase();
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      const wait = backOff(attempt);
      console.error(`[startup] the database cannot be reached (attempt ${attempt}); pages show an error until it can. Trying again in ${Math.round(wait / 1000)} s.`);
      // A page that reaches the database meanwhile ends the wait: the console is back at once.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, wait))), databaseOpened()]);
      clearTimeout(timer);
    }
  }
}

async function startWhenReachable(backOff: (attempt: number) => number) {
  const cfg = config();
  const { db, kind } = await reachDatabase(backOff);
  if (cfg.seedDemo) await seedDemoIfEmpty(db);
  startEmailWorker();
  await startJobRunner();
  if (cfg.testClockFile) console.warn(`  Test clock: this console's clock follows ${cfg.testClockFile} (tests only).`);

  const lines = [`${cfg.appName} is ready on ${cfg.appUrl} (database: ${kind === "pglite" ? `embedded, ${cfg.database.kind === "pglite" ? cfg.database.dataDir : ""}` : "PostgreSQL server"})`];
  if (cfg.seedDemo && (await findUserByEmail(db, DEMO.primary.email))) {
    lines.push(`Demo sign-in: ${DEMO.primary.email} / ${DEMO_PASSWORD} (member: ${DEMO.secondary.email}; Restricted administrator of EMEA: ${DEMO.unitAdmin.email}; same password)`);
  }
  lines.push(
    cfg.email.resendApiKey
      ? "Email is sent through Resend."
      : `No RESEND_API_KEY: emails (codes, invitation links) stay in the outbox; read them on the Mailbox page: ${cfg.appUrl}/mailbox`,
  );
  console.log(lines.map((l) => `  ${l}`).join("\n"));
}
