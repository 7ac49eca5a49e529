#!/usr/bin/env node
// `npm test`: typecheck, lint, Vitest, then Playwright e2e in Chromium against a built
// app on a fresh database. Ends with one plain "N passed, N failed" line summed over
// every runner, because CI reads that line and not the runners' own summaries.
//
// Database: the embedded PGlite by default; with DATABASE_URL, every suite runs on that
// PostgreSQL server instead (each on a fresh database of its own).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
const resultsDir = path.join(root, "test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const totals = { passed: 0, failed: 0 };
const lines = [];

const durations = [];
const seconds = (since) => ((Date.now() - since) / 1000).toFixed(1);

function run(command, args, env = baseEnv) {
  console.log(`\n$ ${command} ${args.join(" ")}`);
  return spawnSync(command, args, { stdio: "inherit", env }).status === 0;
}

/** Runs a command with its output held back, for phases that run side by side. */
function runQuietly(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: baseEnv });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ ok: code === 0, output: `\n$ ${command} ${args.join(" ")}\n${output}` }));
  });
}

/** Times one phase of the run; the summary lists every phase's duration. */
async function phase(name, body) {
  const started = Date.now();
  const result = await body();
  durations.push(`${name}: ${seconds(started)} s`);
  return result;
}

function check(name, ok) {
  totals[ok ? "passed" : "failed"] += 1;
  lines.push(`${ok ? "ok  " : "FAIL"} ${name}`);
}

function countJson(file, name) {
  if (!existsSync(file)) {
    check(`${name} (no report: the runner crashed)`, false);
    return;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  let passed = 0;
  let failed = 0;
  if (name === "vitest") {
    passed = report.numPassedTests ?? 0;
    failed = (report.numFailedTests ?? 0) + (report.numTotalTestSuites && report.success === false && !report.numFailedTests ? 1 : 0);
  } else {
    passed = report.stats?.expected ?? 0;
    failed = (report.stats?.unexpected ?? 0) + (report.stats?.flaky ?? 0) + (report.errors?.length ?? 0);
  }
  totals.passed += passed;
  totals.failed += failed;
  lines.push(`${failed ? "FAIL" : "ok  "} ${name}: ${passed} passed, ${failed} failed`);
}

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
  const found = candidates.find((c) => c && existsSync(c));
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("No Chromium found: installing Debian's chromium…");
    if (run("apt-get", ["update", "-qq"]) && run("apt-get", ["install", "-y", "-qq", "chromium"]) && existsSync("/usr/bin/chromium")) {
      return "/usr/bin/chromium";
    }
  }
  console.log("No system Chromium: installing Playwright's own…");
  run("npx", ["playwright", "install", "chromium"]);
  return "";
}

async function prepareE2eDatabase() {
  const port = 54000 + Math.floor(Math.random() * 900);
  if (!process.env.DATABASE_URL) {
    const dataDir = path.join(root, ".data", "e2e");
    rmSync(dataDir, { recursive: true, force: true });
    return {
      // Secrets given, not generated, so the e2e fixtures can store an IdP's client secret as the app does.
      env: { DATA_DIR: dataDir, PGLITE_SOCKET_PORT: String(port), AUTH_SECRET: randomBytes(32).toString("base64"), ENCRYPTION_KEY: randomBytes(32).toString("base64") },
      // The embedded database, reached through its socket while the app holds it.
      url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const { default: postgres } = await import("postgres");
  const name = `roster_e2e_${randomBytes(4).toString("hex")}`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    env: {
      DATABASE_URL: url.toString(),
      AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64"),
      ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? randomBytes(32).toString("base64"),
    },
    url: url.toString(),
    cleanup: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

// While working on one part: `npm test -- --only unit [vitest filters]` or
// `npm test -- --only e2e [playwright filters]` (e2e builds first when sources changed).
const args = process.argv.slice(2);
const only = args[0] === "--only" ? args[1] : undefined;
const filters = only ? args.slice(2) : [];

const startedAt = Date.now();
console.log(`Database: ${process.env.DATABASE_URL ? "PostgreSQL server (DATABASE_URL)" : "embedded PGlite"}`);
if (!only) {
  // Two cores, two single-threaded checks: side by side.
  const [types, lint] = await phase("typecheck and lint (side by side)", () =>
    Promise.all([runQuietly("npx", ["tsc", "--noEmit"]), runQuietly("npx", ["eslint", ".", "--max-warnings=0"])]),
  );
  console.log(types.output, lint.output);
  check("typecheck", types.ok);
  check("lint", lint.ok);
}

if (!only || only === "unit") {
  const vitestReport = path.join(resultsDir, "vitest.json");
  await phase("vitest", () => run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`, ...filters]));
  countJson(vitestReport, "vitest");
}

// The build does not depend on the database: one that is newer than every source is used as it is.
const built = (!only || only === "e2e") && (await phase("next build (when sources changed)", () => run(process.execPath, ["lib/cli/build-if-stale.mjs"])));
if (!only || only === "e2e") check("next build", built);
if (built) {
  const chromium = findChromium();
  const db = await prepareE2eDatabase();
  const playwrightReport = path.join(resultsDir, "playwright.json");
  try {
    await phase("playwright", () =>
      run("npx", ["playwright", "test", ...filters], {
        ...baseEnv,
        ...db.env,
        E2E_DATABASE_URL: db.url,
        CHROMIUM_PATH: chromium,
        PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
      }),
    );
  } finally {
    await db.cleanup();
  }
  countJson(playwrightReport, "playwright");
}

console.log(`\n${lines.join("\n")}`);
console.log(`\nPhases: ${durations.join(", ")}; total ${seconds(startedAt)} s`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
