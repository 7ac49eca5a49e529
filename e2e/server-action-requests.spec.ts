import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { DEMO_PASSWORD, expect, test } from "./fixtures";

/** A PNG of noise (it does not compress) of about `bytes` bytes. */
function noisePhoto(bytes: number) {
  const width = 800;
  const height = Math.ceil(bytes / (width * 3));
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = Math.floor(Math.random() * 256);
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

test("a sign-in posted with another site's Origin and a forged X-Forwarded-Host is refused; the same post from the console signs in", async ({ page, playwright, baseURL, tenant }) => {
  // The sign-in form's own server-action request, as the browser sends it.
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(tenant.member.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  const posted = page.waitForRequest((request) => request.method() === "POST" && Boolean(request.headers()["next-action"]));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const request = await posted;
  await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
  const body = request.postDataBuffer()!;
  const headers = { "Next-Action": request.headers()["next-action"], "Content-Type": request.headers()["content-type"], Accept: "text/x-component" };

  // Replayed by a client without the person's cookies, as a cross-site page would send it.
  const client = await playwright.request.newContext({ baseURL });
  const forged = await client.post("/sign-in", { headers: { ...headers, Origin: "http://evil.example", "X-Forwarded-Host": "evil.example" }, data: body, maxRedirects: 0 });
  expect(forged.status()).toBe(403);
  expect(forged.headers()["set-cookie"] ?? "").not.toMatch(/session-token/);

  const own = await client.post("/sign-in", { headers: { ...headers, Origin: new URL(baseURL!).origin }, data: body, maxRedirects: 0 });
  expect(own.status()).toBe(200);
  expect(own.headers()["x-action-redirect"]).toMatch(/^\/account/);
  expect(own.headers()["set-cookie"]).toMatch(/session-token/);
  await client.dispose();
});

test("a photo just under 2 MB still uploads, and a 2.5 MB one reaches the app's own refusal", async ({ page, tenant, signInAs }) => {
  await signInAs(page, tenant.member);
  const details = page.getByRole("region", { name: "Personal details" });

  await details.getByLabel(/^Photo/).setInputFiles({ name: "big.png", mimeType: "image/png", buffer: await noisePhoto(2_500_000) });
  await details.getByRole("button", { name: "Upload photo" }).click();
  await expect(details.getByRole("alert")).toHaveText("Photos are at most 2 MB.");

  const largest = await noisePhoto(2 * 1024 * 1024 - 20_000);
  expect(largest.length).toBeLessThanOrEqual(2 * 1024 * 1024);
  await details.getByLabel(/^Photo/).setInputFiles({ name: "largest.png", mimeType: "image/png", buffer: largest });
  await details.getByRole("button", { name: "Upload photo" }).click();
  await expect(details.getByRole("status").filter({ hasText: "Your photo was updated." })).toBeVisible();
});

test.describe("oversized and malformed server-action bodies", () => {
  // A console of its own, so that its log can be read: the suite's server writes to the runner.
  let server: ChildProcess;
  let dataDir: string;
  let base: string;
  let log = "";

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    base = `http://localhost:${port}`;
    dataDir = mkdtempSync(path.join(tmpdir(), "roster-e2e-actions-"));
    server = spawn(process.execPath, ["lib/cli/serve.mjs"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), APP_URL: base, DATA_DIR: dataDir, SEED_DEMO: "0" },
    });
    server.stdout!.on("data", (chunk) => (log += chunk));
    server.stderr!.on("data", (chunk) => (log += chunk));
    await expect
      .poll(async () => (await fetch(`${base}/sign-in`).catch(() => null))?.status, { timeout: 150_000, intervals: [1000] })
      .toBe(200);
  });

  test.afterAll(async () => {
    server?.kill("SIGTERM");
    await new Promise((resolve) => server?.once("exit", resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("get 413 or 400, and the server logs no stack trace for them", async ({ playwright }) => {
    const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { exportedName: string }> };
    const actionId = Object.entries(manifest.node).find(([, action]) => action.exportedName === "signInAction")![0];
    const client = await playwright.request.newContext({ baseURL: base });
    const post = (contentType: string, data: string | Buffer) =>
      client.post("/sign-in", { headers: { "Next-Action": actionId, "Content-Type": contentType, Accept: "text/x-component", Origin: base }, data, maxRedirects: 0 });
    const multipart = (boundary: string, size: number) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="0"\r\n\r\n${JSON.stringify(["x".repeat(size)])}\r\n--${boundary}--\r\n`;
    const text = "text/plain;charset=UTF-8";
    const cases: [string, () => Promise<{ status(): number }>, number][] = [
      ["2.5 MB of text that is not JSON", () => post(text, "x".repeat(2_500_000)), 400],
      ["4 MB of text", () => post(text, `["${"x".repeat(4 * 1024 * 1024)}"]`), 413],
      ["4 MB of multipart", () => post("multipart/form-data; boundary=b", multipart("b", 4 * 1024 * 1024)), 413],
      ["a short text body that is not JSON", () => post(text, "not json {"), 400],
      ["multipart that breaks off in a part header", () => post("multipart/form-data; boundary=b", "--b\r\nno header end"), 400],
      ["multipart without a boundary", () => post("multipart/form-data", multipart("b", 10)), 400],
      ["multipart without React's part 0", () => post("multipart/form-data; boundary=b", '--b\r\nContent-Disposition: form-data; name="1"\r\n\r\n[]\r\n--b--\r\n'), 400],
    ];
    for (const [name, send, status] of cases) expect((await send()).status(), name).toBe(status);
    await client.dispose();

    expect(log).toContain("Roster is serving");
    expect(log, "a stack trace in the server log").not.toMatch(/^\s+at /m);
    expect(log, "an error digest in the server log").not.toContain("digest");
  });
});
