import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIResponse } from "@playwright/test";
import { expect, test } from "./fixtures";

/** The Content-Security-Policy's directives by name. */
function directives(response: APIResponse): Map<string, string[]> {
  const policy = response.headers()["content-security-policy"] ?? "";
  return new Map(
    policy
      .split(";")
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );
}

function expectSecurityHeaders(response: APIResponse) {
  const headers = response.headers();
  expect(headers["x-frame-options"], response.url()).toBe("DENY");
  expect(headers["x-content-type-options"], response.url()).toBe("nosniff");
  expect(headers["referrer-policy"], response.url()).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], response.url()).toContain("camera=()");
  expect(directives(response).get("frame-ancestors"), response.url()).toEqual(["'none'"]);
  // The suite serves the console over http (APP_URL): no HSTS there.
  expect(headers["strict-transport-security"], response.url()).toBeUndefined();
}

test("pages, API answers, avatars, the 404 page and static files carry the security headers", async ({ request }) => {
  const page = await request.get("/sign-in");
  expect(page.status()).toBe(200);
  expectSecurityHeaders(page);

  const answers = await Promise.all([
    request.get("/api/v1/me"),
    request.get("/api/auth/session"),
    request.post("/api/slack/events", { data: {} }),
    request.get("/api/avatars/00000000-0000-4000-8000-000000000000"),
    request.get("/no-such-page"),
  ]);
  expect(answers.map((answer) => answer.status())).toEqual([401, 200, 503, 401, 404]);
  answers.forEach(expectSecurityHeaders);

  const script = (await page.text()).match(/src="(\/_next\/static\/[^"]+\.js)"/)?.[1];
  expect(script).toBeTruthy();
  expectSecurityHeaders(await request.get(script!));
});

test("a page's policy has a fresh nonce per request, Next's scripts carry it, and no inline script runs without it", async ({ request }) => {
  const [first, second] = [await request.get("/sign-in"), await request.get("/sign-in")];
  const nonces = [first, second].map((response) => {
    const scriptSources = directives(response).get("script-src") ?? [];
    expect(scriptSources).not.toContain("'unsafe-inline'");
    expect(scriptSources).not.toContain("'unsafe-eval'");
    return scriptSources.find((source) => source.startsWith("'nonce-"))?.slice(7, -1);
  });
  expect(nonces[0]).toMatch(/^[A-Za-z0-9+/]{22,}={0,2}$/);
  expect(nonces[1]).toMatch(/^[A-Za-z0-9+/]{22,}={0,2}$/);
  expect(nonces[0]).not.toBe(nonces[1]);

  // Every script of the page carries this response's nonce (Next read it from the request).
  const scripts = (await first.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonces[0]}"`);
});

test("a page of another site cannot frame the console", async ({ browser, baseURL }) => {
  // Another site on this machine (127.0.0.1 is another origin than localhost): Chromium
  // would refuse a public site's frame of a local address for reasons of its own.
  const attackerSite = createServer((_request, response) => {
    response.setHeader("Content-Type", "text/html");
    response.end(`<h1>Win a prize</h1><iframe title="console" src="${baseURL}/sign-in"></iframe>`);
  });
  await new Promise<void>((resolve) => attackerSite.listen(0, "127.0.0.1", resolve));
  const { port } = attackerSite.address() as AddressInfo;
  // A fresh context: the browser's refusal to frame is the expected outcome here, not a fault.
  const context = await browser.newContext();
  const attacker = await context.newPage();
  await attacker.goto(`http://127.0.0.1:${port}/`);
  const frame = attacker.frames().find((f) => f !== attacker.mainFrame());
  expect(frame).toBeTruthy();
  // Chromium replaces a refused frame by its error page.
  await expect.poll(() => frame!.url()).toBe("chrome-error://chromewebdata/");
  await expect(attacker.frameLocator("iframe").getByRole("heading", { name: "Sign in", exact: true })).toHaveCount(0);
  await context.close();
  attackerSite.close();
});

test("when a request fails on the way, the console's own error page shows, within the policy", async ({ page }) => {
  await page.goto("/sign-in");
  await page.route("**/sign-in", (route) => (route.request().method() === "POST" ? route.abort("connectionreset") : route.continue()));
  await page.getByLabel("Email").fill("someone@acme.test");
  await page.getByLabel("Password").fill("whatever-it-is");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();
});
