import { readFile } from "node:fs/promises";
import { expect, memberRow, test, verifyItsYou, waitForEmail } from "./fixtures";
import { moveClockTo, resetClock } from "./support/clock";

// O3: an access review from start to evidence — the lines and why they are there, Keep,
// Disable and Revoke through "Verify it's you" (and really done), the campaign complete,
// its CSV read back — and the reminder the job runner sends when a review falls due.

const DAY = 86_400_000;
test.afterEach(() => resetClock());

test("an admin runs a review: keeps the admin, disables an inactive member, revokes an old invitation, and exports the evidence", async ({ page, sql, tenant, signInAs }) => {
  // The member has not been seen for 120 days; the invitation has waited 40.
  await sql`update users set last_active_at = now() - interval '120 days', created_at = now() - interval '200 days' where id = ${tenant.member.id}`;
  await sql`update users set created_at = now() - interval '40 days' where id = ${tenant.invited.id}`;
  await signInAs(page, tenant.admin);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Access reviews" }).click();
  await expect(page.getByRole("heading", { name: "Access reviews", level: 1 })).toBeVisible();
  await page.getByLabel("Name").fill("Q4 review");
  await expect(page.getByLabel("Inactive after (days)")).toHaveValue("90");
  await page.getByRole("button", { name: "Start review" }).click();
  await expect(page.getByRole("heading", { name: /^Q4 review/, level: 1 })).toBeVisible();

  const lines = page.getByRole("table", { name: "Lines of Q4 review" });
  const row = (email: string, reason: string) => lines.getByRole("row").filter({ hasText: email }).filter({ hasText: reason });
  await expect(lines.getByRole("row").filter({ has: page.getByRole("cell") })).toHaveCount(3);
  await expect(row(tenant.admin.email, "Administers")).toContainText("Admin for the whole account");
  await expect(row(tenant.member.email, "Inactive")).toContainText("120 days ago (more than 90)");
  await expect(row(tenant.invited.email, "Old invitation")).toContainText("40 days ago, and not accepted");

  // Keep: recorded at once, with who decided.
  await row(tenant.admin.email, "Administers").getByRole("button", { name: `Keep: ${tenant.admin.name}, Administers` }).click();
  await expect(row(tenant.admin.email, "Administers")).toContainText(`Kept as it is. By ${tenant.admin.name}`);

  // Disable: the console's own operation, after "Verify it's you".
  let started = new Date();
  await row(tenant.member.email, "Inactive").getByRole("button", { name: `Disable: ${tenant.member.name}, Inactive` }).click();
  await expect(page.getByRole("dialog", { name: "Verify it's you" })).toContainText(`disable ${tenant.member.name}`);
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(row(tenant.member.email, "Inactive")).toContainText(`Disabled. By ${tenant.admin.name}`);

  // Revoke the old invitation, the same way.
  started = new Date();
  await row(tenant.invited.email, "Old invitation").getByRole("button", { name: `Revoke: ${tenant.invited.name}, Old invitation` }).click();
  await expect(page.getByRole("dialog", { name: "Verify it's you" })).toContainText(`revoke the invitation for ${tenant.invited.email}`);
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(row(tenant.invited.email, "Old invitation")).toContainText("Invitation revoked.");

  // Every line decided: complete.
  await expect(page.getByRole("heading", { name: "Q4 review Complete", level: 1 })).toBeVisible();

  // The evidence, read back.
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(file.suggestedFilename()).toMatch(/^access-review-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await readFile((await file.path())!, "utf8")).trim().split("\r\n");
  expect(csv[0]).toMatch(/^"# Roster access review ""Q4 review""; .*; completed /);
  expect(csv[1]).toBe("reason,name,email,why,decision,outcome,decided_by,decided_at");
  expect(csv.slice(2).map((line) => line.split(",").slice(0, 3).join(",")).sort()).toEqual(
    [`Administers,${tenant.admin.name},${tenant.admin.email}`, `Inactive,${tenant.member.name},${tenant.member.email}`, `Old invitation,${tenant.invited.name},${tenant.invited.email}`].sort(),
  );
  expect(csv.find((line) => line.startsWith("Inactive,"))).toContain(`,Disable,Disabled.,${tenant.admin.name},`);

  // Really done: the member is disabled and the invitation gone from User Management.
  await page.goto("/users");
  await expect(memberRow(page, tenant.member.email)).toContainText("Disabled");
  await expect(memberRow(page, tenant.invited.email)).toHaveCount(0);

  // The list keeps the completed campaign; the audit log has each decision and the export.
  await page.goto("/reviews");
  await expect(page.getByRole("table", { name: "Access reviews, newest first" }).getByRole("row").filter({ hasText: "Q4 review" })).toContainText("3 of 3 decided");
  await page.goto("/audit?action=review.line_decided");
  await expect(page.getByRole("table", { name: "Audit events, newest first" }).getByRole("row").filter({ has: page.getByRole("cell") })).toHaveCount(3);
});

test("the job runner emails the reviewers when a review falls due, and again when it is overdue", async ({ tenant }) => {
  // The tenant was made just now: quarterly, its first review falls due three months on.
  moveClockTo(new Date(Date.now() + 93 * DAY));
  const due = await waitForEmail(tenant.admin.email, (m) => m.subject === `Access review due for ${tenant.name}`);
  expect(due.text).toContain("/reviews");
  moveClockTo(new Date(Date.now() + 108 * DAY));
  await waitForEmail(tenant.admin.email, (m) => m.subject === `Access review overdue for ${tenant.name}`);
});

test("without reviews.manage there are no access reviews, nor their export", async ({ page, newPage, tenant, signInAs, sql }) => {
  // A real review of their account, as evidence an Admin can export.
  const [review] = await sql`insert into access_reviews (account_id, name, inactive_days, started_by, started_by_name, started_at)
    select account_id, 'Evidence', 90, id, name, now() from users where email = ${tenant.admin.email} returning id`;
  await signInAs(page, tenant.member);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Access reviews" })).toHaveCount(0);
  expect((await page.goto("/reviews"))?.status()).toBe(404);
  expect((await page.request.get(`/reviews/${review.id}/export`)).status()).toBe(404);
  // The same link exports for an Admin.
  const adminPage = await newPage();
  await signInAs(adminPage, tenant.admin);
  expect((await adminPage.request.get(`/reviews/${review.id}/export`)).status()).toBe(200);
});
