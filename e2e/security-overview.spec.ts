import { expect, test } from "./fixtures";

// B4: the Security overview shows figures that match seeded data — 2FA adoption (today
// live, yesterday from the daily snapshot), sign-ins and failed sign-ins, people past the
// 2FA grace period, dormant people, open invitations — each chart with its table.

test("the security overview shows the account's figures, each chart with a table for screen readers", async ({ page, sql, tenant, signInAs }) => {
  const day = 86_400_000;
  const yesterday = new Date(Date.now() - day).toISOString().slice(0, 10);
  await sql`update users set last_active_at = ${new Date(Date.now() - 200 * day).toISOString()} where id = ${tenant.member.id}`;
  await sql`insert into two_factor_snapshots (account_id, day, members, with_two_factor) values (${tenant.accountId}, ${yesterday}, 2, 0)`;
  await sql`insert into sign_in_attempts (account_id, user_id, email, result, method, created_at)
    values (${tenant.accountId}, ${tenant.member.id}, ${tenant.member.email}, 'wrong_password', 'password', now() - interval '1 minute'),
           (${tenant.accountId}, ${tenant.member.id}, ${tenant.member.email}, 'two_factor_failed', 'password', now() - interval '1 minute'),
           (${tenant.accountId}, ${tenant.member.id}, ${tenant.member.email}, 'success', 'api_key', now() - interval '1 minute')`;
  // The admin's own sign-in is the one successful sign-in of the period; then they turn 2FA on.
  await signInAs(page, tenant.admin);
  await sql`update users set totp_enabled_at = now() where id = ${tenant.admin.id}`;
  // 2FA enforced for everyone since ten days ago, with three days' grace: over.
  await sql`update accounts set enforce_two_factor = true, two_factor_grace_days = 3, two_factor_enforced_since = ${new Date(Date.now() - 10 * day).toISOString()} where id = ${tenant.accountId}`;

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Security overview" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Security overview" })).toBeVisible();

  const adoption = page.getByRole("region", { name: "Two-factor adoption" });
  await expect(adoption).toContainText("50% of active people have two-factor authentication: 1 of 2.");
  const adoptionTable = adoption.getByRole("table", { name: "Two-factor adoption by day" });
  await expect(adoptionTable.getByRole("row", { name: `${yesterday} 2 0 0%` })).toHaveCount(1);
  await expect(adoptionTable.getByRole("row")).toHaveCount(3);

  const signIns = page.getByRole("region", { name: "Sign-ins per day" });
  await expect(signIns).toContainText("1 sign-ins and 2 failed sign-ins in the last 30 days");
  // The charts are drawn (for the eye; the tables are what a screen reader reads).
  for (const chart of [adoption, signIns]) await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();
  const today = new Date().toISOString().slice(0, 10);
  await expect(signIns.getByRole("table", { name: "Sign-ins and failed sign-ins by day" }).getByRole("row", { name: `${today} 1 2` })).toHaveCount(1);

  const pastGrace = page.getByRole("region", { name: "Past the two-factor grace period" });
  await expect(pastGrace).toContainText("1 active people must set up two-factor authentication");
  await expect(pastGrace.getByRole("link", { name: tenant.member.name })).toHaveAttribute("href", `/users/${tenant.member.id}`);

  const dormant = page.getByRole("region", { name: "Dormant members" });
  await expect(dormant).toContainText("1 active people have not been active for 90 days.");
  await expect(dormant.getByRole("link", { name: tenant.member.name })).toBeVisible();
  await dormant.getByLabel("Not active for").selectOption("180");
  await dormant.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/dormant=180/);
  await expect(page.getByRole("region", { name: "Dormant members" })).toContainText("1 active people have not been active for 180 days.");

  const invitations = page.getByRole("region", { name: "Open invitations" });
  await expect(invitations.getByRole("definition").first()).toHaveText("1");
});

test("without the permission there is no security overview", async ({ page, tenant, signInAs }) => {
  await signInAs(page, tenant.member);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Security overview" })).toHaveCount(0);
  expect((await page.goto("/overview"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Security overview" })).toHaveCount(0);
});
