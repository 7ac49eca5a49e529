import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { DEMO, expect, signIn, test } from "./fixtures";

// The Mailbox exists only without an email provider, and the suite's app has one (the mock
// Resend). This spec starts a second instance of the same build without RESEND_API_KEY, on
// an embedded database of its own holding the demo data, on a free port.
let app: ChildProcess | undefined;
let dataDir = "";
let baseURL = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(120_000);
  const port = await freePort();
  baseURL = `http://localhost:${port}`;
  dataDir = mkdtempSync(path.join(os.tmpdir(), "roster-mailbox-"));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), APP_URL: baseURL, DATA_DIR: dataDir, SEED_DEMO: "1", NEXT_TELEMETRY_DISABLED: "1" };
  for (const name of ["RESEND_API_KEY", "RESEND_BASE_URL", "DATABASE_URL", "PGLITE_SOCKET_PORT"]) delete env[name];
  let output = "";
  app = spawn("node", ["lib/cli/serve.mjs"], { env, stdio: ["ignore", "pipe", "pipe"] });
  app.stdout?.on("data", (chunk: Buffer) => (output += chunk));
  app.stderr?.on("data", (chunk: Buffer) => (output += chunk));
  await expect
    .poll(
      async () => {
        if (app?.exitCode !== null) throw new Error(`The Mailbox instance exited:\n${output}`);
        return fetch(`${baseURL}/sign-in`).then((res) => res.status, () => 0);
      },
      { message: "the Mailbox instance to serve", timeout: 100_000 },
    )
    .toBe(200);
});

test.afterAll(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((resolve) => app!.once("exit", resolve));
    app.kill("SIGTERM");
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("on a phone, an invitation's link in the Mailbox is a real link that wraps and opens the invitation", async ({ browser }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page, DEMO.primary.email);

  // An invitation to a long address, so both the address and the link are long.
  const email = `a.rather.long.address.for.a.phone.screen.${Date.now()}@example.test`;
  await page.goto("/users");
  await page.getByRole("button", { name: "Add User" }).click();
  await page.getByRole("dialog", { name: "Add user" }).getByLabel("Email").fill(email);
  await page.getByRole("dialog", { name: "Add user" }).getByRole("button", { name: "Send invitation" }).click();
  const verify = page.getByRole("dialog", { name: "Verify it's you" });
  await expect(verify).toBeVisible();
  // Without an email provider the code, too, is read in the Mailbox.
  const inbox = await context.newPage();
  await inbox.goto("/mailbox");
  const codeMessage = inbox.getByRole("article", { name: "Your Roster verification code" }).first();
  const code = (await codeMessage.innerText()).match(/verification code is (\d{6})/)?.[1];
  expect(code).toBeTruthy();
  await verify.getByRole("textbox", { name: "Verification code" }).fill(code!);
  await verify.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("status", { name: "Team table messages" })).toHaveText(`Invitation sent to ${email}.`);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mailbox" }).click();
  const invitation = page.getByRole("article", { name: /invited you to Acme/ }).filter({ hasText: email });
  const link = invitation.getByRole("link", { name: new RegExp(`^${baseURL}/invitations/[A-Za-z0-9_-]{43}$`) });
  await expect(link).toBeVisible();
  expect(await link.getAttribute("href")).toBe(await link.innerText());
  // Nothing sticks out sideways at phone width.
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);

  await link.click();
  await expect(page.getByRole("heading", { name: "Join Acme" })).toBeVisible();
  await expect(page.getByText(`You will sign in as ${email}`)).toBeVisible();
  await context.close();
});
