/**
 * `npm run bench:load`: the console under load. Seeds a fresh database with 100,000
 * members (a temporary PGlite, or a new database on the server named by DATABASE_URL),
 * starts the production build (building it when stale), signs in through the real
 * sign-in page in Chromium, then drives concurrent clients with autocannon — first at
 * `/sign-in` (no session, no data: the framework's floor), then at `/users` and a search
 * view — and prints req/s, latency percentiles, errors and the server's peak RSS.
 *   npm run bench:load -- --members 100000 --seconds 30 --connections 16
 * With `--cpu-prof DIR` the server writes a V8 CPU profile of the whole run into DIR
 * (open it in Chrome DevTools' Performance panel).
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { eq } from "drizzle-orm";
import { chromium } from "@playwright/test";
import { addSyntheticMembers } from "@/db/bulk";
import { openDatabase, type DatabaseTarget } from "@/db/client";
import { createScratchDatabase } from "./scratch-database";
import { DEMO, DEMO_PASSWORD, seedDemoIfEmpty } from "@/db/demo";
import { accounts } from "@/db/schema";

const { values } = parseArgs({
  options: {
    members: { type: "string", default: "100000" },
    seconds: { type: "string", default: "30" },
    connections: { type: "string", default: "16" },
    port: { type: "string", default: "3911" },
    "cpu-prof": { type: "string" },
  },
});
const members = Number(values.members);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const port = Number(values.port);
const origin = `http://localhost:${port}`;

/** The seed runs before the console starts: one PGlite folder is never open in two processes. */
async function seed(target: DatabaseTarget) {
  const database = await openDatabase(target);
  try {
    await seedDemoIfEmpty(database.db);
    const [acme] = await database.db.select().from(accounts).where(eq(accounts.name, "Acme"));
    await addSyntheticMembers(database.db, acme.id, members);
  } finally {
    await database.close();
  }
}

function findChromium() {
  const found = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((c) => c && existsSync(c));
  if (!found) throw new Error("No Chromium: apt-get install chromium, or set CHROMIUM_PATH");
  return found;
}

/**
 * Signs in the way a person does; returns the session cookie header and the first-load
 * JavaScript of /users (compressed bytes on the wire, as a first visit downloads them).
 */
async function signIn(): Promise<{ cookie: string; usersJsKiB: number }> {
  const browser = await chromium.launch({ executablePath: findChromium(), args: ["--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/sign-in`);
    await page.getByLabel("Email").fill(DEMO.primary.email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Personal Account" }).waitFor();
    const cookies = await page.context().cookies(origin);
    const fresh = await browser.newContext();
    await fresh.addCookies(cookies);
    const users = await fresh.newPage();
    await users.goto(`${origin}/users`, { waitUntil: "networkidle" });
    const jsBytes = await users.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => (e as PerformanceResourceTiming).initiatorType === "script" || e.name.endsWith(".js"))
        .reduce((sum, e) => sum + (e as PerformanceResourceTiming).encodedBodySize, 0),
    );
    return { cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; "), usersJsKiB: jsBytes / 1024 };
  } finally {
    await browser.close();
  }
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
}

async function drive(label: string, url: string, cookie: string | undefined, pid: number) {
  let peak = rssMiB(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 100);
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, headers: cookie ? { cookie } : {} }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? NaN;
  const errors = result.errors + result.timeouts + result.non2xx;
  return { label, reqPerSec: result.requests.average, p50: at(0.5), p95: at(0.95), p99: at(0.99), errors, peak };
}

async function waitUntilServing() {
  for (let i = 0; i < 300; i++) {
    const status = await fetch(`${origin}/sign-in`).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("The console did not start");
}

async function main() {
  const build = spawnSync(process.execPath, ["lib/cli/build-if-stale.mjs"], { stdio: "inherit" });
  if (build.status !== 0) throw new Error("next build failed");
  const db = await createScratchDatabase("roster_load");
  console.log(`Seeding ${members.toLocaleString("en")} members (${db.where})…`);
  await seed(db.target);
  const profile = values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [];
  const server = spawn(process.execPath, [...profile, "lib/cli/serve.mjs"], {
    env: {
      ...process.env,
      ...db.env,
      PORT: String(port),
      APP_URL: origin,
      NEXT_TELEMETRY_DISABLED: "1",
      AUTH_SECRET: randomBytes(32).toString("base64"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      SEED_DEMO: "0",
      RESEND_API_KEY: "",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitUntilServing();
    const { cookie, usersJsKiB } = await signIn();
    console.log(`First-load JavaScript of /users: ${usersJsKiB.toFixed(1)} KiB compressed.`);
    console.log(`${connections} concurrent clients, ${seconds} s each, on ${db.where}, ${members.toLocaleString("en")} members:`);
    const rows = [
      await drive("/sign-in (floor: no session, no data)", `${origin}/sign-in`, undefined, server.pid!),
      await drive("/users", `${origin}/users`, cookie, server.pid!),
      // The page reads the search from `q` (its URL state), as the table controls write it.
      await drive("/users?q=jordan&status=active", `${origin}/users?q=jordan&status=active`, cookie, server.pid!),
    ];
    const floor = rows[0].reqPerSec;
    console.log("\n| path | req/s | vs floor | p50 ms | p95 ms | p99 ms | errors | peak RSS MiB |\n|---|---|---|---|---|---|---|---|");
    for (const r of rows) {
      console.log(`| ${r.label} | ${r.reqPerSec.toFixed(1)} | ${(r.reqPerSec / floor).toFixed(2)}× | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.errors} | ${r.peak.toFixed(0)} |`);
    }
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await db.cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
