import sharp from "sharp";
import { createMember, expect, signIn, test, verifyItsYou, waitForEmail, signOut } from "./fixtures";

const photo = () => sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 30, g: 120, b: 200 } } }).png().toBuffer();

test("edit details, upload a photo, and set preferences that the landing page honours", async ({ page, sql, tenant }) => {
  const email = `pat.${Date.now()}@${tenant.admin.email.split("@")[1]}`;
  await createMember(sql, { accountOf: tenant.admin.email, email, name: "Pat" });
  await signIn(page, email);
  const details = page.getByRole("region", { name: "Personal details" });
  await details.getByLabel("Name").fill("Pat Photo");
  await details.getByLabel("Phone").fill("+44 20 7946 0958");
  await details.getByRole("button", { name: "Save details" }).click();
  await expect(details.getByRole("status")).toHaveText("Your details were saved.");
  await expect(page.getByText("Signed in as Pat Photo")).toBeVisible();

  // A text file named .png is refused, by its content.
  await details.getByLabel(/^Photo/).setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: Buffer.from("not really a picture") });
  await details.getByRole("button", { name: "Upload photo" }).click();
  await expect(details.getByRole("alert")).toHaveText("That file is not an image we can read. Upload a PNG, JPEG or WebP photo.");

  await details.getByLabel(/^Photo/).setInputFiles({ name: "me.png", mimeType: "image/png", buffer: await photo() });
  await details.getByRole("button", { name: "Upload photo" }).click();
  await expect(details.getByRole("status").filter({ hasText: "Your photo was updated." })).toBeVisible();
  const avatar = page.getByRole("banner").getByRole("img", { name: "Photo of Pat Photo" });
  await expect(avatar).toBeVisible();
  await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(256);
  const src = await avatar.getAttribute("src");
  const served = await page.request.get(src!);
  expect(served.headers()["content-type"]).toBe("image/webp");
  expect(served.headers()["cache-control"]).toContain("private");

  const preferences = page.getByRole("region", { name: "Preferences" });
  await preferences.getByLabel("Default line of business").selectOption({ label: "Online" });
  await preferences.getByLabel(`${tenant.name} Labs`).check();
  await preferences.getByRole("button", { name: "Save preferences" }).click();
  await expect(preferences.getByRole("status")).toHaveText("Your preferences were saved.");
  const communication = page.getByRole("region", { name: "Communication settings" });
  await communication.getByLabel("Email me product updates").uncheck();
  await communication.getByRole("button", { name: "Save communication settings" }).click();
  await expect(communication.getByText("Your communication settings were saved.")).toBeVisible();

  // The landing page after sign-in shows them.
  await signOut(page);
  await signIn(page, email);
  const workspace = page.getByRole("region", { name: "Your workspace" });
  await expect(workspace).toContainText("Online");
  // Highlighted sub-accounts come first.
  await expect(workspace.getByRole("list", { name: "Sub-accounts" }).getByRole("listitem").first()).toHaveText(`★ ${tenant.name} Labs (highlighted)`);
  await expect(page.getByRole("region", { name: "Communication settings" }).getByLabel("Email me product updates")).not.toBeChecked();
});

test("change password: the other signed-in browser is signed out and a notice is emailed", async ({ page, newPage, sql, tenant }) => {
  const email = `chris.${Date.now()}@${tenant.admin.email.split("@")[1]}`;
  await createMember(sql, { accountOf: tenant.admin.email, email, name: "Chris Change" });
  const otherPage = await newPage();
  await signIn(otherPage, email);
  await signIn(page, email);

  const card = page.getByRole("region", { name: "Change password" });
  await card.getByLabel("Current password").fill("Demo-Password-2026!");
  // The rules are the field's description, so a screen reader reads them with it.
  await expect(card.getByLabel("New password", { exact: true })).toHaveAccessibleDescription(/At least 8 characters/);
  await card.getByLabel("New password", { exact: true }).fill("Password1!");
  await card.getByLabel("Confirm new password").fill("Password1!");
  await card.getByRole("button", { name: "Change password" }).click();
  await expect(card.getByRole("alert")).toContainText("not a common or easily guessed password");

  const since = new Date();
  await card.getByLabel("Current password").fill("Demo-Password-2026!");
  await card.getByLabel("New password", { exact: true }).fill("Quartz-Meadow-5150");
  await card.getByLabel("Confirm new password").fill("Quartz-Meadow-5150");
  await card.getByRole("button", { name: "Change password" }).click();
  await expect(card.getByRole("status")).toHaveText("Your password was changed. Your other sessions were signed out.");
  await waitForEmail(email, (m) => m.subject === "Your Roster password was changed" && new Date(m.receivedAt) >= since);

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/sign-in/);
  // This browser stays signed in.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
});

test("change password: a wrong current password is refused, and at the sign-in limit this session ends", async ({ page, sql, tenant }) => {
  const email = `gus.${Date.now()}@${tenant.admin.email.split("@")[1]}`;
  await createMember(sql, { accountOf: tenant.admin.email, email, name: "Gus Guess" });
  const [user] = await sql`select id from users where email = ${email}`;
  const failures = async () => (await sql`select count(*)::int as n from audit_events where actor_id = ${user.id} and action = 'password.change_failed'`)[0].n;
  await signIn(page, email);

  const card = page.getByRole("region", { name: "Change password" });
  const tryCurrent = async (current: string) => {
    await card.getByLabel("Current password").fill(current);
    await card.getByLabel("New password", { exact: true }).fill("Quartz-Meadow-5150");
    await card.getByLabel("Confirm new password").fill("Quartz-Meadow-5150");
    await card.getByRole("button", { name: "Change password" }).click();
  };
  for (let i = 1; i <= 4; i++) {
    await tryCurrent(`Wrong-Guess-${i}`);
    await expect.poll(failures).toBe(i);
    await expect(card.getByRole("alert")).toHaveText("That is not your current password.");
  }
  await tryCurrent("Wrong-Guess-5");
  await expect(card.getByRole("alert")).toHaveText(/^Too many wrong passwords, so you were signed out to protect your account\. You can sign in again in \d+ minutes\.$/);
  await page.getByRole("link", { name: "Manage API keys" }).click();
  await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
  // The same limit now holds at sign-in, even for the right password.
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("Demo-Password-2026!");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(/^Too many sign-in attempts/);
});

test("forgot password end to end: the same answer for anyone, a one-hour single-use link, sessions end", async ({ page, newPage, sql, tenant }) => {
  const email = `fay.${Date.now()}@${tenant.admin.email.split("@")[1]}`;
  await createMember(sql, { accountOf: tenant.admin.email, email, name: "Fay Forgot" });
  const otherPage = await newPage();
  await signIn(otherPage, email);

  for (const address of ["nobody.at.all@acme.test", email]) {
    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
    await page.getByLabel("Email").fill(address);
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    await expect(page.getByRole("status")).toHaveText(
      "If an account exists for that address, we emailed it a link to set a new password. The link expires in 1 hour.",
    );
  }
  const mail = await waitForEmail(email, (m) => /Reset your/.test(m.subject));
  const link = mail.text!.match(/https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/)![0];
  await page.goto(link);
  await page.getByLabel("New password", { exact: true }).fill("Harbor-Lantern-3307");
  await page.getByLabel("Confirm new password").fill("Harbor-Lantern-3307");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password was changed");

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Reset link already used" })).toBeVisible();
  await signIn(page, email, "Harbor-Lantern-3307");
});

test("API key: create with step-up, copy, call /api/v1/me, revoke, then 401", async ({ page, playwright, tenant }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, tenant.member.email);
  await page.getByRole("link", { name: "Manage API keys" }).click();
  await page.getByLabel("Key name").fill("Nightly export");
  // A member's key is offered only what their roles allow — their profile and their resources
  // (A6), never the team — and a key needs a scope.
  const scopes = page.getByRole("group", { name: "Scopes" });
  await expect(scopes.getByRole("checkbox")).toHaveCount(3);
  for (const name of ["Read your profile", "Read resources", "Create resources"]) await expect(scopes.getByRole("checkbox", { name })).toBeVisible();
  await expect(scopes.getByRole("checkbox", { name: "Read members" })).toHaveCount(0);
  await expect(scopes.getByRole("checkbox", { name: "Read resources" })).not.toBeChecked();
  await scopes.getByRole("checkbox", { name: "Read your profile" }).uncheck();
  await page.getByRole("button", { name: "Create API key" }).click();
  await expect(scopes.getByRole("alert")).toHaveText("Choose at least one scope.");
  await expect(page.getByRole("dialog", { name: "Verify it's you" })).toBeHidden();
  await scopes.getByRole("checkbox", { name: "Read your profile" }).check();
  const since = new Date();
  await page.getByRole("button", { name: "Create API key" }).click();
  await verifyItsYou(page, tenant.member.email, since);
  const created = page.getByRole("region", { name: "New API key" });
  const key = await created.getByRole("textbox", { name: "New API key value" }).inputValue();
  expect(key).toMatch(/^rst_[A-Za-z0-9_-]{40}$/);
  await created.getByRole("button", { name: "Copy" }).click();
  await expect(created.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await expect(page.getByRole("row", { name: /Nightly export/ })).toContainText(key.slice(0, 12));
  await expect(page.getByRole("row", { name: /Nightly export/ })).toContainText("profile:read");

  const api = await playwright.request.newContext({ baseURL: page.url().replace(/\/account.*$/, "") });
  const me = await api.get("/api/v1/me", { headers: { authorization: `Bearer ${key}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ email: tenant.member.email });
  const users = await api.get("/api/v1/users", { headers: { authorization: `Bearer ${key}` } });
  expect(users.status()).toBe(403);
  expect(await users.json()).toMatchObject({ error: { code: "insufficient_scope" } });

  await page.reload();
  await expect(page.getByRole("row", { name: /Nightly export/ })).not.toContainText("Never");
  await page.getByRole("button", { name: "Revoke Nightly export" }).click();
  await expect(page.getByRole("row", { name: /Nightly export/ }).getByText("Revoked")).toBeVisible();
  const after = await api.get("/api/v1/me", { headers: { authorization: `Bearer ${key}` } });
  expect(after.status()).toBe(401);
  await api.dispose();
});
