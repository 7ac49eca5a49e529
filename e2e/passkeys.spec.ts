import { DEMO_PASSWORD, enterPassword, expect, signOut, test, waitForEmail } from "./fixtures";
import { addVirtualAuthenticator } from "./support/virtual-authenticator";

// B1: passkeys with Chromium's virtual authenticator — registration, passwordless sign-in,
// the second step after a password, and Enforce 2FA counting a passkey.

async function addPasskey(page: import("@playwright/test").Page, name: string) {
  await page.goto("/account/security");
  const form = page.getByRole("form", { name: "Add a passkey" });
  await form.getByLabel("Passkey name").fill(name);
  await form.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await form.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("status").filter({ hasText: `The passkey ${name} was added.` })).toBeVisible();
}

const passkeyRows = (page: import("@playwright/test").Page) => page.getByRole("table", { name: "Your passkeys" }).getByRole("row").filter({ has: page.getByRole("cell") });

test("register a passkey (password first, a notice emailed), then sign in with it alone; it shows when it was last used", async ({ page, sql, tenant, signInAs }) => {
  const { email } = tenant.member;
  const authenticator = await addVirtualAuthenticator(page);
  await signInAs(page, tenant.member);
  await page.getByRole("link", { name: "Manage your sessions" }).click();
  await expect(page.getByRole("heading", { name: "Passkeys" })).toBeVisible();
  await expect(page.getByText("No passkeys yet.")).toBeVisible();

  // No passkey without the right password.
  const form = page.getByRole("form", { name: "Add a passkey" });
  await form.getByLabel("Passkey name").fill("Work laptop");
  await form.getByLabel("Password", { exact: true }).fill("Not-The-Password-1");
  await form.getByRole("button", { name: "Add a passkey" }).click();
  await expect(form.getByRole("alert")).toHaveText("That is not your current password.");
  expect(await authenticator.credentials()).toHaveLength(0);

  const since = new Date();
  await addPasskey(page, "Work laptop");
  await expect(passkeyRows(page)).toHaveCount(1);
  await expect(passkeyRows(page).filter({ hasText: "Work laptop" })).toContainText("Never");
  await waitForEmail(email, (m) => m.subject === "A passkey was added to your Roster account" && new Date(m.receivedAt) >= since);
  const [credential] = await authenticator.credentials();
  expect(credential.isResidentCredential).toBe(true);
  const [stored] = await sql`select p.credential_id, p.name from passkeys p join users u on u.id = p.user_id where u.email = ${email}`;
  expect(stored).toEqual({ credential_id: credential.credentialId.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_"), name: "Work laptop" });

  // Passwordless: no email, no password — the passkey names the person.
  await signOut(page);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
  await page.goto("/account/security");
  await expect(passkeyRows(page).filter({ hasText: "Work laptop" })).not.toContainText("Never");
  const [event] = await sql`select e.details from audit_events e join users u on u.id = e.actor_id where u.email = ${email} and e.action = 'passkey.signed_in'`;
  expect(event.details).toMatchObject({ step: "passwordless", name: "Work laptop" });
  const [{ counter }] = await sql`select counter from passkeys p join users u on u.id = p.user_id where u.email = ${email}`;
  expect(Number(counter)).toBe((await authenticator.credentials())[0].signCount);
});

test("a passkey as the second step after the password; rename it, and removing it takes the password", async ({ page, sql, tenant, signInAs }) => {
  const { email } = tenant.member;
  await addVirtualAuthenticator(page);
  await signInAs(page, tenant.member);
  await addPasskey(page, "Phone");
  await signOut(page);

  // The password alone opens nothing: the second step asks for the passkey.
  await enterPassword(page, email);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await expect(page.getByLabel("Authentication code")).toHaveCount(0);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
  const [event] = await sql`select e.details from audit_events e join users u on u.id = e.actor_id where u.email = ${email} and e.action = 'passkey.signed_in'`;
  expect(event.details).toMatchObject({ step: "second factor", name: "Phone" });

  await page.goto("/account/security");
  await page.getByRole("button", { name: "Rename passkey Phone" }).click();
  const rename = page.getByRole("dialog", { name: "Rename passkey" });
  await rename.getByLabel("Passkey name").fill("Pixel 9");
  await rename.getByRole("button", { name: "Save name" }).click();
  await expect(rename).toBeHidden();
  await expect(passkeyRows(page).filter({ hasText: "Pixel 9" })).toHaveCount(1);

  await page.getByRole("button", { name: "Remove passkey Pixel 9" }).click();
  const remove = page.getByRole("dialog", { name: "Remove passkey" });
  await remove.getByLabel("Password", { exact: true }).fill("Not-The-Password-1");
  await remove.getByRole("button", { name: "Remove passkey" }).click();
  await expect(remove.getByRole("alert")).toHaveText("That is not your current password.");
  const since = new Date();
  await remove.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await remove.getByRole("button", { name: "Remove passkey" }).click();
  await expect(remove).toBeHidden();
  await expect(page.getByText("No passkeys yet.")).toBeVisible();
  await waitForEmail(email, (m) => m.subject === "A passkey was removed from your Roster account" && new Date(m.receivedAt) >= since);

  // With no second factor left, the password signs in on its own again.
  await signOut(page);
  await enterPassword(page, email);
  await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
});

test("Enforce 2FA counts a passkey: Setup 2FA Required takes one, and the last one cannot then be removed", async ({ page, sql, tenant }) => {
  const { email } = tenant.member;
  await addVirtualAuthenticator(page);
  await sql`update accounts set enforce_two_factor = true, two_factor_enforced_since = now() where id = ${tenant.accountId}`;
  await enterPassword(page, email);
  await expect(page.getByRole("heading", { name: "Setup 2FA Required" })).toBeVisible();
  await page.getByRole("button", { name: "Use a passkey instead" }).click();
  await page.getByLabel("Passkey name").fill("Laptop");
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  // 2FA is on: the console opens.
  await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
  await expect(page.getByText("On: every sign-in with your password asks for one of your passkeys.")).toBeVisible();

  // Under enforcement the only second factor stays.
  await page.goto("/account/security");
  await page.getByRole("button", { name: "Remove passkey Laptop" }).click();
  const remove = page.getByRole("dialog", { name: "Remove passkey" });
  await remove.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await remove.getByRole("button", { name: "Remove passkey" }).click();
  await expect(remove.getByRole("alert")).toContainText("before removing your last passkey");
  await remove.getByRole("button", { name: "Cancel" }).click();
  await expect(passkeyRows(page)).toHaveCount(1);

  // The next sign-in: password, then the passkey — and no Setup 2FA Required.
  await signOut(page);
  await enterPassword(page, email);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
});
