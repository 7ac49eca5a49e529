import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** A free local port, as the system hands one out. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A second console from the same build, configured as the quick start is: no email provider
 * (so it has a Mailbox page, which the suite's console with Resend does not), its own
 * embedded database with the demo data. Stop it with `stop()`.
 */
export async function startConsoleWithoutEmail(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "roster-mailbox-"));
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), APP_URL: url, DATA_DIR: dataDir, SEED_DEMO: "1" };
  // Never the suite's database or mail server: this console must not touch their state.
  for (const name of ["DATABASE_URL", "PGLITE_SOCKET_PORT", "RESEND_API_KEY", "RESEND_BASE_URL"]) delete env[name];
  const child = spawn("node", ["lib/cli/serve.mjs"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`The console without email stopped:\n${output}`);
      if (Date.now() > deadline) throw new Error(`The console without email did not start in time:\n${output}`);
      const ready = await fetch(`${url}/sign-in`).then((r) => r.ok, () => false);
      if (ready) return { url, stop };
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
