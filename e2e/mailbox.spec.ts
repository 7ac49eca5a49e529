import { startConsoleWithoutEmail } from "./console-without-email";
import { DEMO, expect, signIn, test } from "./fixtures";

// The Mailbox exists only without an email provider, and the suite's app has one (the mock
// Resend): this spec uses a second console of the same build without one.
let app: Awaited<ReturnType<typeof startConsoleWithoutEmail>> | undefined;
let baseURL = "";

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(150_000);
  app = await startConsoleWithoutEmail();
  baseURL = app.url;
});

test.afterAll(async () => {
  await app?.stop();
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
