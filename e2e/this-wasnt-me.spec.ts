import { enterPassword, expect, signIn, test, waitForEmail } from "./fixtures";

// O4: a sign-in from a new device is emailed with "This wasn't me"; confirming it ends everything.

const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const NEW_PASSWORD = "Tidal-Orbit-4821-Quartz";

test("a sign-in from a new browser is emailed; This wasn't me signs out every browser, refuses the old password and emails a reset link", async ({ page, tenant, signInAs, newPage }) => {
  const member = tenant.member.email;
  // The member's first sign-in ever: nothing to compare with, so no notice.
  await signInAs(page, tenant.member);

  // Someone signs in from a browser the member never used.
  const since = new Date();
  const intruder = await newPage({ userAgent: FIREFOX_LINUX });
  await signIn(intruder, member);
  const notice = await waitForEmail(member, (m) => m.subject === "New sign-in to your Roster account" && new Date(m.receivedAt) >= since);
  expect(notice.text).toContain("Browser: Firefox 133 on Linux");
  expect(notice.text).toContain(`Account: ${tenant.name} (${member})`);
  const link = notice.text!.match(/https?:\/\/\S+\/this-wasnt-me\/[A-Za-z0-9_-]{59}/)![0];

  // The member sees the notice in their own history.
  await page.goto("/account/security");
  const history = page.getByRole("table", { name: "Security notifications sent to you" });
  await expect(history.getByRole("row").filter({ hasText: "New sign-in to your Roster account" })).toHaveCount(1);

  // Opening the link only asks (a mail scanner's GET changes nothing): both browsers are still in.
  const phone = await newPage();
  await phone.goto(link);
  await expect(phone.getByRole("heading", { name: "This wasn't me" })).toBeVisible();
  await expect(phone.getByText(`For ${member} in ${tenant.name}`)).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Security", exact: true })).toBeVisible();

  const confirmed = new Date();
  await phone.getByRole("button", { name: "Sign me out everywhere" }).click();
  await expect(phone.getByRole("status")).toContainText("Done: you were signed out everywhere (2 sessions ended).");
  await expect(phone.getByRole("status")).toContainText(`We emailed a link to set a new password to ${member}.`);

  // Both browsers are out at their next click.
  await page.getByRole("link", { name: "← Personal Account" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await intruder.reload();
  await expect(intruder).toHaveURL(/\/sign-in/);

  // The old password opens nothing, and the sign-in page says what to do.
  await enterPassword(intruder, member);
  await expect(intruder.getByRole("main").getByRole("alert")).toHaveText(
    "Your password must be reset before you can sign in: use the link we emailed you, or ask for a new one with Forgot password?",
  );

  // The reset link arrived; a new password lets the member back in.
  const reset = await waitForEmail(member, (m) => /Reset your/.test(m.subject) && new Date(m.receivedAt) >= confirmed);
  expect(reset.text).toContain(`You said "This wasn't me"`);
  await phone.goto(reset.text!.match(/https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/)![0]);
  await phone.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await phone.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await phone.getByRole("button", { name: "Set new password" }).click();
  await expect(phone.getByRole("status")).toContainText("Your password was changed.");
  await signIn(phone, member, NEW_PASSWORD);

  // The link worked once.
  await phone.goto(link);
  await expect(phone.getByRole("heading", { name: "Link already used" })).toBeVisible();
});
