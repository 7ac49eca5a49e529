import { createMember, expect, test, verifyItsYou } from "./fixtures";

/**
 * B3: an Admin makes a SCIM token on Provisioning ("Verify it's you", shown once), the
 * identity provider uses it — a lookup, then a new member — and its last use shows; once
 * revoked it opens nothing.
 */
test("a SCIM token: step-up, shown once, used by the identity provider, last use shown, revoked", async ({ page, playwright, sql, tenant, signInAs, baseURL }) => {
  await signInAs(page, tenant.admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Provisioning" }).click();
  await expect(page.getByRole("heading", { name: "Provisioning", level: 1 })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "SCIM base URL" })).toHaveValue(/\/scim\/v2$/);

  await page.getByLabel("Token name").fill("Okta");
  const since = new Date();
  await page.getByRole("button", { name: "Create SCIM token" }).click();
  await verifyItsYou(page, tenant.admin.email, since);
  const shown = page.getByRole("region", { name: "New SCIM token" }).getByRole("textbox", { name: "New SCIM token value" });
  const token = await shown.inputValue();
  expect(token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
  const row = page.getByRole("row", { name: /Okta/ });
  await expect(row).toContainText(token.slice(0, 12));
  await expect(row).toContainText("Never");
  // Stored hashed: nothing in the database holds the token.
  const [stored] = await sql`select token_hash, prefix from scim_tokens where account_id = ${tenant.accountId}`;
  expect(stored.prefix).toBe(token.slice(0, 12));
  expect(stored.token_hash).not.toContain(token.slice(12));

  const idp = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const email = `provisioned.${Date.now()}@${tenant.admin.email.split("@")[1]}`;
  const lookup = await idp.get(`/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`);
  expect(lookup.status()).toBe(200);
  expect(lookup.headers()["content-type"]).toMatch(/^application\/scim\+json/);
  expect(await lookup.json()).toMatchObject({ totalResults: 0 });
  const created = await idp.post("/scim/v2/Users", {
    headers: { "content-type": "application/scim+json" },
    data: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: email, name: { givenName: "Pat", familyName: "Provisioned" }, emails: [{ value: email, primary: true }], active: true },
  });
  expect(created.status()).toBe(201);

  // Shown once: after a reload only the prefix is left, and the last use is there.
  await page.reload();
  await expect(page.getByRole("region", { name: "New SCIM token" })).toHaveCount(0);
  await expect(page.getByRole("row", { name: /Okta/ })).not.toContainText("Never");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "User Management" }).click();
  await expect(page.getByRole("row").filter({ hasText: email })).toBeVisible();

  // B3, T4: deleting in the IdP disables by default; the Admin chooses Anonymise instead (step-up).
  await page.goto("/settings/provisioning");
  const onDelete = page.getByRole("region", { name: "When your identity provider deletes someone" });
  await expect(onDelete.getByRole("radio", { name: "Disable them" })).toBeChecked();
  await onDelete.getByRole("radio", { name: "Anonymise them" }).check();
  const choosing = new Date();
  await onDelete.getByRole("button", { name: "Save" }).click();
  await verifyItsYou(page, tenant.admin.email, choosing);
  await expect(onDelete.getByRole("status")).toHaveText("People your identity provider deletes are anonymised.");
  await page.reload();
  await expect(onDelete.getByRole("radio", { name: "Anonymise them" })).toBeChecked();
  // (The person just provisioned is still invited — deleting them revokes the invitation.) An active member leaves:
  const leaving = `dana.departing.${Date.now()}@${tenant.admin.email.split("@")[1]}`;
  const userId = await createMember(sql, { accountOf: tenant.admin.email, email: leaving, name: "Dana Departing" });
  expect((await idp.delete(`/scim/v2/Users/${userId}`)).status()).toBe(204);
  const [gone] = await sql`select name, email, status from users where id = ${userId}`;
  expect(gone).toMatchObject({ name: expect.stringMatching(/^Former member [0-9A-F]{4}$/), status: "disabled" });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "User Management" }).click();
  await expect(page.getByRole("row").filter({ hasText: gone.name })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Dana Departing" })).toHaveCount(0);

  await page.goto("/settings/provisioning");
  await page.getByRole("button", { name: "Revoke Okta" }).click();
  await expect(page.getByRole("status").filter({ hasText: "was revoked" })).toBeVisible();
  await expect(page.getByRole("row", { name: /Okta/ })).toContainText("Revoked");
  const refused = await idp.get("/scim/v2/Users");
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
  await idp.dispose();
});

test("Provisioning is not for a member", async ({ page, tenant, signInAs }) => {
  await signInAs(page, tenant.member);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Provisioning" })).toHaveCount(0);
  expect((await page.goto("/settings/provisioning"))?.status()).toBe(404);
});
