import type { APIRequestContext, Page } from "@playwright/test";
import { createMember, expect, signIn, test, verifyItsYou, waitForEmail } from "./fixtures";

/** Fills the API keys form with a name and exactly these scopes (by their labels), then verifies the code. */
async function createKey(page: Page, actorEmail: string, name: string, scopeLabels: string[]): Promise<string> {
  await page.getByLabel("Key name").fill(name);
  const scopes = page.getByRole("group", { name: "Scopes" });
  for (const box of await scopes.getByRole("checkbox").all()) await box.uncheck();
  for (const label of scopeLabels) await scopes.getByRole("checkbox", { name: label }).check();
  const since = new Date();
  await page.getByRole("button", { name: "Create API key" }).click();
  await verifyItsYou(page, actorEmail, since);
  return page.getByRole("region", { name: "New API key" }).getByRole("textbox", { name: "New API key value" }).inputValue();
}

const post = (api: APIRequestContext, key: string, path: string) => api.post(`/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });

test("a key that may disable members: chosen scopes, step-up, a security email, the scopes listed; a read-only key is refused", async ({ page, playwright, sql, tenant }) => {
  const email = `kim.${Date.now()}@${tenant.admin.email.split("@")[1]}`;
  await createMember(sql, { accountOf: tenant.admin.email, email, name: "Kim Keys" });
  const [{ id: kimId }] = await sql`select id from users where email = ${email}`;
  await signIn(page, tenant.admin.email);
  await page.getByRole("link", { name: "Manage API keys" }).click();

  const write = page.getByRole("checkbox", { name: "Disable and enable members" });
  await expect(write).toHaveAccessibleDescription(/members:write/);
  const since = new Date();
  const key = await createKey(page, tenant.admin.email, "Offboarding bot", ["Read members", "Disable and enable members"]);
  expect(key).toMatch(/^rst_[A-Za-z0-9_-]{40}$/);

  // O4: the owner hears of it — everything but the key.
  const notice = await waitForEmail(tenant.admin.email, (m) => m.subject === "A new API key was created for your Roster account" && new Date(m.receivedAt) >= since);
  expect(notice.text).toContain("Name: Offboarding bot");
  expect(notice.text).toContain(`Key: ${key.slice(0, 12)}…`);
  expect(notice.text).toContain("members:write: Disable and enable members");
  expect(notice.text).toContain("Personal Account → API keys");
  expect(notice.text).not.toContain(key.slice(12));

  const row = page.getByRole("row", { name: /Offboarding bot/ });
  await expect(row.getByRole("list", { name: "Scopes" }).getByRole("listitem")).toHaveText(["members:read", "members:write"]);

  const api = await playwright.request.newContext({ baseURL: page.url().replace(/\/account.*$/, "") });
  expect((await post(api, key, `/users/${kimId}/disable`)).status()).toBe(200);
  expect((await sql`select status from users where id = ${kimId}`)[0].status).toBe("disabled");
  expect((await post(api, key, `/users/${kimId}/enable`)).status()).toBe(200);

  const readOnly = await createKey(page, tenant.admin.email, "Reporting", ["Read your profile", "Read members"]);
  await expect(page.getByRole("row", { name: /Reporting/ }).getByRole("list", { name: "Scopes" }).getByRole("listitem")).toHaveText(["profile:read", "members:read"]);
  expect((await api.get("/api/v1/users", { headers: { authorization: `Bearer ${readOnly}` } })).status()).toBe(200);
  const refused = await post(api, readOnly, `/users/${kimId}/disable`);
  expect(refused.status()).toBe(403);
  expect(refused.headers()["www-authenticate"]).toBe('Bearer error="insufficient_scope", scope="members:write"');
  expect(await refused.json()).toMatchObject({ error: { code: "insufficient_scope" } });
  expect((await sql`select status from users where id = ${kimId}`)[0].status).toBe("active");
  await api.dispose();
});
