import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";

// O2: a member's failed and then successful sign-in shows in their own history, and on
// the administrator's Activity page filtered to failures (in the URL); the CSV export of
// that view is read back, and the export itself is in the audit log.

const attempts = (page: Page, name: string) => page.getByRole("table", { name }).getByRole("row").filter({ has: page.getByRole("cell") });

test("a failed then successful sign-in shows in the person's history and on the Activity page, and exports", async ({ page, newPage, tenant, signInAs }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(tenant.member.email);
  await page.getByLabel("Password").fill("Not-Their-Password-1!");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  await signIn(page, tenant.member.email, tenant.password);

  await page.goto("/account/security");
  const own = attempts(page, "Your sign-in attempts, newest first");
  await expect(own).toHaveCount(2);
  await expect(own.nth(0)).toContainText("Signed in");
  await expect(own.nth(0)).toContainText("Password");
  await expect(own.nth(1)).toContainText("Wrong password");
  await expect(page.getByRole("link", { name: "Show more" })).toHaveCount(0);
  // A member has no Activity page.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Activity" })).toHaveCount(0);
  expect((await page.request.get("/activity/export")).status()).toBe(404);

  const admin = await newPage();
  await signInAs(admin, tenant.admin);
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Activity" }).click();
  await expect(admin.getByRole("heading", { name: "Activity" })).toBeVisible();
  const filters = admin.getByRole("search", { name: "Filter sign-in activity" });
  await filters.getByLabel("Result").selectOption({ label: "Failed only" });
  await filters.getByLabel("Person (email or ID)").fill(tenant.member.email);
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(admin).toHaveURL(/result=failed/);
  const rows = attempts(admin, "Sign-in attempts, newest first");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(tenant.member.email);
  await expect(rows.first()).toContainText("Wrong password");
  // The filter stays when the page is opened again from its URL.
  await admin.reload();
  await expect(admin.getByLabel("Result")).toHaveValue("failed");
  await expect(rows).toHaveCount(1);

  const [file] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("link", { name: "Export CSV" }).click()]);
  expect(file.suggestedFilename()).toMatch(/^sign-in-activity-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = (await readFile((await file.path())!, "utf8")).trim().split("\r\n");
  expect(lines[0]).toContain(`filter: failed attempts only, person: ${tenant.member.email}`);
  expect(lines[1]).toBe("time,user_id,email,result,result_label,method,method_label,detail,ip,user_agent");
  expect(lines).toHaveLength(3);
  expect(lines[2]).toContain(`,${tenant.member.id},${tenant.member.email},wrong_password,Wrong password,password,Password,`);
  expect(lines.join("\n")).not.toContain("Not-Their-Password-1!");

  await admin.goto("/audit?action=activity.exported");
  await expect(attempts(admin, "Audit events, newest first")).toHaveCount(1);

  // The member's page shows both attempts, newest first.
  await admin.goto(`/users/${tenant.member.id}`);
  const theirs = attempts(admin, `Recent sign-in attempts of ${tenant.member.name}`);
  await expect(theirs).toHaveCount(2);
  await expect(theirs.nth(0)).toContainText("Signed in");
  await expect(theirs.nth(1)).toContainText("Wrong password");
});
