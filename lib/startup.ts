import { getDatabase } from "@/db/client";
import { DEMO, DEMO_PASSWORD, seedDemoIfEmpty } from "@/db/demo";
import { findUserByEmail } from "@/db/queries/users";
import { config } from "@/lib/config";
import { startEmailWorker } from "@/lib/email";
import { startJobRunner } from "@/lib/jobs";

/** Runs once per server process (instrumentation.ts): migrate, seed the demo, start workers. */
export async function startServer() {
  const cfg = config();
  // Fail at start, not on the first request, when a required secret is missing.
  void cfg.authSecret;
  void cfg.encryptionKey;
  const { db, kind } = await getDatabase();
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
