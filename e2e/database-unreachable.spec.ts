import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";
import postgres from "postgres";
import { DEMO, DEMO_PASSWORD } from "@/db/demo";
import { startTcpGate } from "@/lib/faults/tcp-gate";
import { watchCsp } from "./support/csp";
import { signInOverHttp } from "./support/sign-in";

// Issue 17: a database that is unreachable at start or for a while. The console is started
// on its own database behind a TCP gate (lib/faults/tcp-gate.ts) that drops every
// connection and turns new ones away; every page then says so — a friendly page, not a
// stack or a blank page — and the console recovers by itself once the gate lets the
// database through again. Server mode only (playwright.config.ts): the embedded database
// lives inside the console process and cannot be cut off from it.

const serverUrl = process.env.E2E_DATABASE_URL!;
const appPort = Number(process.env.E2E_APP_PORT ?? 3101);
const port = appPort + 22;
const origin = `http://localhost:${port}`;
const mockResendUrl = `http://127.0.0.1:${process.env.E2E_RESEND_PORT ?? 4010}`;
const HEADING = "Roster can't reach its database";

type Gate = Awaited<ReturnType<typeof startTcpGate>>;
type Console = { gate: Gate; logs: string[] };

const test = base.extend<object, { console: Console }>({
  console: [
    async ({}, use) => {
      const name = `roster_unreachable_${randomBytes(4).toString("hex")}`;
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      const target = new URL(serverUrl);
      const gate = await startTcpGate({ host: target.hostname, port: Number(target.port || 5432) });
      // Unreachable from the very start: the console must start anyway.
      gate.cut();
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      url.host = `127.0.0.1:${gate.port}`;
      const logs: string[] = [];
      const child: ChildProcess = spawn(process.execPath, ["lib/cli/serve.mjs"], {
        env: {
          ...process.env,
          AUTH_SECRET: randomBytes(32).toString("base64"),
          ENCRYPTION_KEY: randomBytes(32).toString("base64"),
          DATABASE_URL: url.toString(),
          PORT: String(port),
          APP_URL: origin,
          RESEND_API_KEY: "re_e2e_mock",
          RESEND_BASE_URL: mockResendUrl,
          SEED_DEMO: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout!.on("data", (chunk) => logs.push(String(chunk)));
      child.stderr!.on("data", (chunk) => logs.push(String(chunk)));
      try {
        // Serving (whatever the answer) although the database was never reached.
        await expect.poll(async () => (await fetch(`${origin}/sign-in`).catch(() => null))?.status ?? 0, { timeout: 90_000, message: "the console serves" }).toBeGreaterThan(0);
        await use({ gate, logs });
      } finally {
        child.kill("SIGTERM");
        await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
        await gate.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
    { scope: "worker", timeout: 150_000 },
  ],
});

/** The friendly page, as a person sees it: what happened, that it recovers, a reference and "Try again". */
async function expectUnreachablePage(page: Page) {
  await expect(page.getByRole("heading", { name: HEADING })).toBeVisible();
  await expect(page.getByText("Roster reconnects by itself as soon as it is back, and nothing you did was lost")).toBeVisible();
  await expect(page.getByText(/^Reference: [0-9a-f]{8}$/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();
  // Not a stack, not the general apology.
  await expect(page.locator("body")).not.toContainText(/ECONNRESET|ECONNREFUSED|CONNECTION_|at .*\.js:\d+|Something went wrong/);
}

test.describe("a database that cannot be reached", () => {
  test("unreachable at start, then for a while: every page says so, and the console recovers by itself", async ({ browser, console: { gate, logs } }) => {
    // Recovery includes the console's first migrations and demo seeding, on a machine shared with another worker.
    test.setTimeout(120_000);
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations = await watchCsp(page, origin);

    // At start: the sign-in page (and the root, which leads there) says the database cannot be reached.
    const signIn = await page.goto(`${origin}/sign-in`);
    expect(signIn!.status()).toBe(503);
    expect(Number(await signIn!.headerValue("retry-after"))).toBeGreaterThan(0);
    await expectUnreachablePage(page);
    await page.goto(origin);
    await expectUnreachablePage(page);

    // The database comes back: the same page, with no restart, after "Try again".
    gate.mend();
    await page.getByRole("button", { name: "Try again" }).click();
    // (That request migrates the new database first.)
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible({ timeout: 30_000 });

    // Signed in once the console has finished starting (migrations, demo data, workers), which
    // the page's reaching the database set off. Not by trying to sign in until it works: five
    // failed attempts lock the address for 15 minutes, as they should.
    await expect.poll(() => logs.join("").includes(`Roster is ready on ${origin}`), { timeout: 60_000, message: "the console finishes starting" }).toBe(true);
    await context.addCookies((await signInOverHttp(origin, DEMO.primary.email, DEMO_PASSWORD)).cookies);
    await page.goto(`${origin}/account`);
    await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();

    // For a while: console pages, the sign-in page and the API all say so.
    gate.cut();
    for (const path of ["/", "/users", "/account"]) {
      const response = await page.goto(`${origin}${path}`);
      expect(response!.status(), path).toBe(503);
      await expectUnreachablePage(page);
    }
    const signedOut = await browser.newContext();
    const other = await signedOut.newPage();
    await other.goto(`${origin}/sign-in`);
    await expectUnreachablePage(other);
    const api = await fetch(`${origin}/api/v1/me`, { headers: { authorization: `Bearer rst_${"u".repeat(40)}` } });
    expect(api.status).toBe(503);
    expect(Number(api.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await api.json()).toMatchObject({ error: { code: "database_unavailable" } });

    // Back: "Try again" shows the page, without a restart.
    gate.mend();
    await page.getByRole("button", { name: "Try again" }).click();
    await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
    await other.getByRole("button", { name: "Try again" }).click();
    await expect(other.getByRole("heading", { name: "Sign in" })).toBeVisible();
    expect(violations, "Content-Security-Policy violations").toEqual([]);
    await signedOut.close();
    await context.close();
  });
});
