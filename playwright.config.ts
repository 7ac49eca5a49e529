import { defineConfig } from "@playwright/test";
import { resetClock, testClockFile } from "./e2e/support/clock";

// lib/cli/test.mjs prepares these (a fresh database, a found or installed Chromium).
const appPort = Number(process.env.E2E_APP_PORT ?? 3101);
const mockResendPort = Number(process.env.E2E_RESEND_PORT ?? 4010);
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 4020);
const dnsPort = Number(process.env.E2E_DNS_PORT ?? 4030);
// The demo accounts' slugs, the one e2e/connections.spec.ts connects, and the test sign-in's callback (B5).
const ssoCallbacks = [
  ...["acme", "globex", "connections-e2e"].map((slug) => `http://localhost:${appPort}/api/auth/callback/sso-${slug}`),
  `http://localhost:${appPort}/api/connections/idp-test/callback`,
].join(",");
const executablePath = process.env.CHROMIUM_PATH || undefined;
// A5: specs move the console's clock through this file; every run starts on the real time
// (reset by the runner, not by each worker, which loads this file too).
if (process.env.TEST_WORKER_INDEX === undefined) resetClock(testClockFile(appPort));

// Two consoles on one database need a server: the embedded database is one process's;
// so does a database the console can be cut off from (it lives inside the console otherwise).
const serverOnly = process.env.DATABASE_URL ? [] : ["**/two-instances.spec.ts", "**/database-unreachable.spec.ts"];
// A5, O3: these specs move the console's clock (e2e/support/clock.ts), which every spec's
// requests read — so they run by themselves, one at a time, once every other spec is done.
const movesTheClock = ["**/access-expiry.spec.ts", "**/access-reviews.spec.ts"];

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  testIgnore: serverOnly,
  // Every spec works in accounts of its own (fixtures: tenant; SSO alone uses the demo
  // accounts, the mock IdP knowing only their slugs), so files run side by side — on a
  // PostgreSQL server. The embedded database's test socket serves one connection
  // (concurrent connections' protocol messages interleave): there, one file at a time.
  fullyParallel: false,
  workers: process.env.DATABASE_URL ? 2 : 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${appPort}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      // Without these Chromium keeps dialling Google's hosts, which this network refuses.
      args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [
    { name: "chromium", use: { browserName: "chromium" }, testIgnore: [...serverOnly, ...movesTheClock] },
    { name: "clock", use: { browserName: "chromium" }, testMatch: movesTheClock, workers: 1, dependencies: ["chromium"] },
  ],
  webServer: [
    {
      command: `npx tsx e2e/mock-servers/resend.ts ${mockResendPort}`,
      url: `http://127.0.0.1:${mockResendPort}/__mock/emails`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // A real OpenID Provider (oidc-provider) for the single sign-on journeys.
      command: `npx tsx e2e/mock-servers/oidc.ts ${oidcPort} ${ssoCallbacks}`,
      url: `http://127.0.0.1:${oidcPort}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // A DNS server (dns2) that verified domains are looked up on; tests publish its TXT records over HTTP.
      command: `npx tsx e2e/mock-servers/dns.ts ${dnsPort}`,
      url: `http://127.0.0.1:${dnsPort}/__mock/health`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: "node lib/cli/serve.mjs",
      url: `http://localhost:${appPort}/sign-in`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      env: {
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(appPort),
        APP_URL: `http://localhost:${appPort}`,
        RESEND_API_KEY: "re_e2e_mock",
        RESEND_BASE_URL: `http://127.0.0.1:${mockResendPort}`,
        SEED_DEMO: "1",
        ROSTER_TEST_CLOCK_FILE: testClockFile(appPort),
        ROSTER_DNS_SERVER: `127.0.0.1:${dnsPort}`,
      },
    },
  ],
});
