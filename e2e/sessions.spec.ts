import { callServerAction, expect, test, verifyItsYou, waitForEmail } from "./fixtures";

// B2: the sessions a person sees and ends, and an administrator ending a member's.

test("a person sees their two sessions, ends the other one, and that browser is signed out at its next request", async ({ page, tenant, signInAs, newPage }) => {
  const other = await newPage();
  await signInAs(other, tenant.member);
  await signInAs(page, tenant.member);

  await page.getByRole("link", { name: "Manage your sessions" }).click();
  await expect(page.getByRole("heading", { name: "Security", exact: true })).toBeVisible();
  const table = page.getByRole("table", { name: "Your signed-in sessions" });
  const rows = table.getByRole("row").filter({ has: page.getByRole("cell") });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "This device" })).toHaveCount(1);
  // This device's session has no End button; the other's has.
  await expect(rows.filter({ hasText: "This device" }).getByRole("button")).toHaveCount(0);
  await rows.filter({ hasNotText: "This device" }).getByRole("button", { name: /^End the session of/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "was ended" })).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expect(page.getByText("You are signed in on this device only.")).toBeVisible();

  // The ended browser: a server action is sent to sign-in, and so is its next click (an RSC navigation).
  const crafted = await callServerAction(other, { file: "app/(console)/account/security/actions.ts", name: "endOtherSessions", path: "/account", args: [{}] });
  expect(crafted.redirect).toMatch(/\/sign-in/);
  await other.getByRole("link", { name: "Manage your sessions" }).click();
  await expect(other).toHaveURL(/\/sign-in/);
  await expect(other.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();

  // This one carries on.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Security", exact: true })).toBeVisible();
});

test("a person ends every other session at once", async ({ page, tenant, signInAs, newPage }) => {
  const second = await newPage();
  const third = await newPage();
  await signInAs(second, tenant.member);
  await signInAs(third, tenant.member);
  await signInAs(page, tenant.member);
  await page.goto("/account/security");
  await page.getByRole("button", { name: "End all other sessions" }).click();
  await expect(page.getByRole("status").filter({ hasText: "2 other sessions were ended." })).toBeVisible();
  for (const ended of [second, third]) {
    await ended.reload();
    await expect(ended).toHaveURL(/\/sign-in/);
  }
});

test("an admin ends a member's sessions from the member page, with Verify it's you; the member's browser is signed out at its next click", async ({ page, tenant, signInAs, newPage }) => {
  const memberPage = await newPage();
  await signInAs(memberPage, tenant.member);
  await signInAs(page, tenant.admin);

  await page.goto(`/users/${tenant.member.id}`);
  const sessions = page.getByRole("region", { name: "Sessions" });
  const table = sessions.getByRole("table", { name: `Signed-in sessions of ${tenant.member.name}` });
  await expect(table.getByRole("row").filter({ has: page.getByRole("cell") })).toHaveCount(1);
  await expect(table.getByText("This device")).toHaveCount(0);
  const started = new Date();
  await sessions.getByRole("button", { name: "End all sessions" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(sessions.getByRole("status")).toHaveText(`Every session of ${tenant.member.name} was ended, and they were told by email.`);
  await expect(table.getByText("Not signed in anywhere.")).toBeVisible();

  const notice = await waitForEmail(tenant.member.email, (m) => /administrator signed you out/i.test(m.subject) && new Date(m.receivedAt) >= started);
  expect(notice.text).toMatch(/ended every signed-in session/);

  await memberPage.getByRole("link", { name: "Manage your sessions" }).click();
  await expect(memberPage).toHaveURL(/\/sign-in/);
});
