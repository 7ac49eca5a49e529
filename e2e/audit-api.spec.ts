import { expect, signIn, test, verifyItsYou } from "./fixtures";

// O1 for a SIEM: an Admin makes a key that reads the audit log (with step-up), and the
// log through /api/v1 holds that key's own creation, as the Audit log page does.
test("an audit-log key made in the console reads its own creation through /api/v1/audit-events, and follows the log from there", async ({ page, playwright, tenant }) => {
  await signIn(page, tenant.admin.email);
  await page.getByRole("link", { name: "Manage API keys" }).click();
  await page.getByLabel("Key name").fill("Splunk");
  const scopes = page.getByRole("group", { name: "Scopes" });
  const auditScope = scopes.getByRole("checkbox", { name: "Read the audit log" });
  await expect(auditScope).toHaveAccessibleDescription(/audit:read/);
  for (const box of await scopes.getByRole("checkbox").all()) await box.uncheck();
  await auditScope.check();
  const since = new Date();
  await page.getByRole("button", { name: "Create API key" }).click();
  await verifyItsYou(page, tenant.admin.email, since);
  const key = await page.getByRole("region", { name: "New API key" }).getByRole("textbox", { name: "New API key value" }).inputValue();
  const prefix = key.slice(0, 12);
  await expect(page.getByRole("row", { name: /Splunk/ }).getByRole("list", { name: "Scopes" }).getByRole("listitem")).toHaveText(["audit:read"]);

  const api = await playwright.request.newContext({ baseURL: page.url().replace(/\/account.*$/, ""), extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  const res = await api.get("/api/v1/audit-events?action=api_key.created&limit=1");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.data).toHaveLength(1);
  expect(body.data[0]).toMatchObject({
    action: "api_key.created",
    actionLabel: "Created an API key",
    result: "success",
    actor: { email: tenant.admin.email, label: tenant.admin.email },
    target: { type: "api_key" },
    details: { name: "Splunk", prefix, scopes: ["audit:read"] },
  });
  expect(Date.parse(body.data[0].time)).toBeGreaterThanOrEqual(since.getTime() - 60_000);

  // Following from it: nothing newer of that kind yet, and the cursor to ask again with.
  const poll = await api.get(`/api/v1/audit-events?action=api_key.created&after=${body.data[0].cursor}`);
  expect(await poll.json()).toEqual({ data: [], nextCursor: body.data[0].cursor });
  // The same key reads nothing it was not given.
  expect((await api.get("/api/v1/sign-in-attempts")).status()).toBe(403);
  expect((await api.get("/api/v1/audit-events?from=last-week")).status()).toBe(422);
  await api.dispose();
});
