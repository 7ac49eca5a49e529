import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { test as base, expect, type Browser, type Page } from "@playwright/test";
import postgres from "postgres";
import { DEMO, DEMO_PASSWORD, stepUpCode } from "./fixtures";
import { moveClockTo, resetClock, testClockFile } from "./support/clock";
import type { RecordedEmail } from "./mock-servers/resend";

// Issue 10: two consoles on one PostgreSQL server share everything that matters. Runs
// only when the suite runs on a server (playwright.config.ts includes it then): the
// embedded database belongs to one process by design.

const serverUrl = process.env.E2E_DATABASE_URL!;
const appPort = Number(process.env.E2E_APP_PORT ?? 3101);
const ports = [appPort + 20, appPort + 21];
const mockResendUrl = `http://127.0.0.1:${process.env.E2E_RESEND_PORT ?? 4010}`;
const secrets = { AUTH_SECRET: randomBytes(32).toString("base64"), ENCRYPTION_KEY: randomBytes(32).toString("base64") };
// Both consoles read one clock (A5 jobs go by it), their own, not the suite's console's.
const clockFile = testClockFile(`two-${appPort}`);

type Instances = { url: string; origins: string[]; sql: postgres.Sql; logs: string[] };

const test = base.extend<object, { instances: Instances }>({
  instances: [
    async ({}, use) => {
      const name = `roster_two_${randomBytes(4).toString("hex")}`;
      resetClock(clockFile);
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      const logs: string[] = [];
      // Both start at the same moment on an empty database: migrations and demo data race.
      const children: ChildProcess[] = ports.map((port) => {
        const child = spawn(process.execPath, ["lib/cli/serve.mjs"], {
          env: {
            ...process.env,
            ...secrets,
            DATABASE_URL: url.toString(),
            PORT: String(port),
            APP_URL: `http://localhost:${port}`,
            RESEND_API_KEY: "re_e2e_mock",
            RESEND_BASE_URL: mockResendUrl,
            SEED_DEMO: "1",
            ROSTER_TEST_CLOCK_FILE: clockFile,
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        child.stdout!.on("data", (chunk) => logs.push(`[${port}] ${chunk}`));
        child.stderr!.on("data", (chunk) => logs.push(`[${port}] ${chunk}`));
        return child;
      });
      const origins = ports.map((port) => `http://localhost:${port}`);
      const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        for (const origin of origins) {
          await expect
            .poll(async () => (await fetch(`${origin}/sign-in`).catch(() => null))?.status ?? 0, { timeout: 60_000, message: `${origin} starts` })
            .toBe(200);
        }
        await use({ url: url.toString(), origins, sql, logs });
      } finally {
        resetClock(clockFile);
        for (const child of children) child.kill("SIGTERM");
        await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)))));
        await sql.end();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
    { scope: "worker", timeout: 120_000 },
  ],
});

async function inbox(to: string): Promise<RecordedEmail[]> {
  const res = await fetch(`${mockResendUrl}/__mock/emails?to=${encodeURIComponent(to)}`);
  return (await res.json()) as RecordedEmail[];
}

async function signInAt(page: Page, origin: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function newPage(browser: Browser) {
  const context = await browser.newContext();
  return context.newPage();
}

test.describe("two consoles, one database", () => {
  test("starting together, they migrate and seed once", async ({ instances }) => {
    const journal = JSON.parse(readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
    const [{ n }] = await instances.sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(n).toBe(journal.entries.length);
    const [{ acme }] = await instances.sql`select count(*)::int as acme from accounts where name = 'Acme'`;
    expect(acme).toBe(1);
    expect(instances.logs.join("")).not.toMatch(/duplicate key|already exists|Error:/);
  });

  test("an email queued while both run is delivered exactly once", async ({ instances }) => {
    const subject = `Two instances ${randomBytes(3).toString("hex")}`;
    const since = new Date();
    // An operator command queues one message per active member; both consoles' workers poll the outbox.
    for (let round = 1; round <= 3; round++) {
      const queued = spawnSync("npx", ["tsx", "lib/cli/product-update.ts", "--subject", `${subject} #${round}`, "--text", "Hello from both consoles."], {
        // The consoles' own environment: without a Resend key a message is only stored for the Mailbox.
        env: { ...process.env, ...secrets, DATABASE_URL: instances.url, RESEND_API_KEY: "re_e2e_mock", RESEND_BASE_URL: mockResendUrl },
        encoding: "utf8",
      });
      expect(queued.status, queued.stderr).toBe(0);
    }
    const recipients = (await instances.sql`select email from users where status = 'active'`).map((r) => r.email as string);
    expect(recipients.length).toBeGreaterThanOrEqual(4);
    await expect
      .poll(async () => (await instances.sql`select count(*)::int as n from email_outbox where status <> 'sent' and subject like ${`${subject}%`}`)[0].n, { timeout: 30_000 })
      .toBe(0);
    // Several more polling rounds of both workers: nothing is sent again.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    for (const to of recipients) {
      const requests = (await inbox(to)).filter((m) => m.subject.startsWith(subject) && new Date(m.receivedAt) >= since);
      expect(requests.map((m) => m.subject).sort(), to).toEqual([1, 2, 3].map((round) => `${subject} #${round}`));
    }
  });

  test("sign-in limits are shared: guesses on one count on the other", async ({ browser, instances }) => {
    const page = await newPage(browser);
    const [a, b] = instances.origins;
    for (let attempt = 0; attempt < 5; attempt++) {
      await signInAt(page, attempt % 2 === 0 ? a : b, DEMO.otherSecondary.email, "Wrong-Password-1!");
      await expect(page.getByText("Incorrect email or password.")).toBeVisible();
    }
    // The right password, on either console, now waits.
    await signInAt(page, b, DEMO.otherSecondary.email);
    await expect(page.getByText(/Too many sign-in attempts/)).toBeVisible();
    await signInAt(page, a, DEMO.otherSecondary.email);
    await expect(page.getByText(/Too many sign-in attempts/)).toBeVisible();
  });

  test("disabling a member on one console ends their session on the other at its next request", async ({ browser, instances }) => {
    const [a, b] = instances.origins;
    const member = await newPage(browser);
    await signInAt(member, b, DEMO.secondary.email);
    await expect(member.getByRole("heading", { name: "Personal Account" })).toBeVisible();

    const admin = await newPage(browser);
    await signInAt(admin, a, DEMO.primary.email);
    await expect(admin.getByRole("heading", { name: "Personal Account" })).toBeVisible();
    await admin.goto(`${a}/users`);
    const since = new Date();
    await admin.getByRole("row").filter({ hasText: DEMO.secondary.email }).getByRole("button", { name: /^Disable/ }).click();
    const dialog = admin.getByRole("dialog", { name: "Verify it's you" });
    await dialog.getByRole("textbox", { name: "Verification code" }).fill(await stepUpCode(DEMO.primary.email, since));
    await dialog.getByRole("button", { name: "Verify" }).click();
    await expect(admin.getByText(/was disabled/)).toBeVisible();

    await member.reload();
    await expect(member.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
    await expect(member).toHaveURL(new RegExp(`^${b}/sign-in`));
  });

  test("each scheduled job runs once: an expiry is recorded once and its summary sent once", async ({ instances }) => {
    // A5: Otto's membership ends a minute into a 5-minute slot three days ahead; both
    // consoles' runners then see the next slot come, and one of them runs it.
    const slot = Math.floor((Date.now() + 3 * 86_400_000) / 300_000) * 300_000;
    const expiry = new Date(slot + 60_000);
    await instances.sql`update users set access_expires_at = ${expiry} where email = ${DEMO.otherSecondary.email}`;
    const since = new Date();
    moveClockTo(new Date(slot + 300_000 + 30_000), clockFile);
    const recorded = async () => (await instances.sql`select count(*)::int as n from audit_events where action = 'access.expired' and details->>'email' = ${DEMO.otherSecondary.email}`)[0].n;
    await expect.poll(recorded, { timeout: 30_000 }).toBe(1);
    const summaries = async () => (await inbox(DEMO.otherPrimary.email)).filter((m) => m.subject.startsWith("Access expired in Globex") && new Date(m.receivedAt) >= since);
    await expect.poll(async () => (await summaries()).length, { timeout: 30_000 }).toBe(1);
    // The runners carry on to the next slot (no sleeping: the clock moves, and the next slot's run is awaited) — nothing ran twice.
    moveClockTo(new Date(slot + 600_000 + 30_000), clockFile);
    const nextKey = new Date(slot + 600_000).toISOString();
    await expect
      .poll(async () => (await instances.sql`select status from jobs where name = 'access-expiry' and key = ${nextKey}`).map((row) => row.status), { timeout: 30_000 })
      .toEqual(["done"]);
    expect(await recorded()).toBe(1);
    expect(await summaries()).toHaveLength(1);
    const slotKey = new Date(slot + 300_000).toISOString();
    const runs = await instances.sql`select status, attempts from jobs where name = 'access-expiry' and key = ${slotKey}`;
    expect(runs.map((row) => [row.status, row.attempts])).toEqual([["done", 1]]);
  });
});
