import type { Page } from "@playwright/test";
import { callServerAction, expect, test, verifyItsYou } from "./fixtures";

// A7 + A8: an access rule that gives an app role — previewed, saved; a member's value makes
// it subscribe them to the application (shown "by rule …" on their page, not removable by
// hand, refused on the server too), their next request has it; the value changed, it is gone.

const main = (page: Page) => page.getByRole("navigation", { name: "Main" });

test("a rule gives an app role by a property and takes it back when the value changes", async ({ page, sql, tenant, signInAs, newPage }) => {
  await signInAs(page, tenant.admin);
  await main(page).getByRole("link", { name: "Properties" }).click();
  const newProperty = page.getByRole("form", { name: "New property" });
  await newProperty.getByLabel("Label").fill("Site");
  await newProperty.getByLabel("Key").fill("site");
  await newProperty.getByLabel("Type").selectOption({ label: "Choice" });
  await newProperty.getByLabel("Choices, one a line").fill("Toulouse\nLyon");
  await newProperty.getByRole("button", { name: "Add property" }).click();
  await expect(page.getByRole("table", { name: "Properties" })).toContainText("Choice: Toulouse, Lyon");

  // The rule gives an app role: no unit to choose; its preview names nobody yet.
  const newRule = page.getByRole("form", { name: "New rule" });
  await newRule.getByLabel("Rule name").fill("Toulouse publishers");
  await newRule.getByLabel("People whose").selectOption({ label: "Site" });
  await newRule.getByLabel("is", { exact: true }).selectOption({ label: "Toulouse" });
  await newRule.getByLabel("get the role").selectOption({ label: "Publisher in Studio" });
  await expect(newRule.getByLabel("on", { exact: true })).toBeDisabled();
  await newRule.getByRole("button", { name: "Preview" }).click();
  await expect(newRule.getByRole("region", { name: "Would gain access" })).toContainText("Nobody.");
  let started = new Date();
  await newRule.getByRole("button", { name: "Save rule" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(page.getByRole("listitem", { name: "Toulouse publishers" })).toContainText("Site is Toulouse → Publisher in Studio · 0 people");

  // The member has no application yet.
  const member = await newPage();
  await signInAs(member, tenant.member);
  await expect(member.getByRole("list", { name: "Your applications" })).toHaveCount(0);

  // Their site set: Studio appears "by rule", without Unsubscribe, and their next request has it.
  await page.goto(`/users/${tenant.member.id}`);
  const properties = page.getByRole("form", { name: `Properties of ${tenant.member.name}` });
  const access = page.getByRole("region", { name: "Application access" });
  await properties.getByLabel("Site").selectOption("Toulouse");
  started = new Date();
  await properties.getByRole("button", { name: "Save properties" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(properties.getByRole("status")).toHaveText(`Saved ${tenant.member.name}'s properties.`);
  await expect(access).toContainText("App roles: Publisher · by rule Toulouse publishers");
  await expect(access.getByRole("checkbox", { name: "Publisher (by rule Toulouse publishers)" })).toBeDisabled();
  await expect(access.getByRole("button", { name: "Unsubscribe from Studio" })).toHaveCount(0);
  await member.reload();
  await expect(member.getByRole("list", { name: "Your applications" })).toHaveText("Studio: Publisher");

  // Taken away by a crafted request: refused, naming the rule.
  const crafted = await callServerAction(page, { file: "app/(console)/users/[id]/actions.ts", name: "unsubscribeFromApp", path: `/users/${tenant.member.id}`, args: [{ userId: tenant.member.id, appKey: "studio" }] });
  expect(crafted.body).toContain("Publisher in Studio is given by rule “Toulouse publishers”: it cannot be removed by hand.");
  await member.reload();
  await expect(member.getByRole("list", { name: "Your applications" })).toHaveText("Studio: Publisher");

  // Changed to Lyon: the rule's subscription is gone, on the page and on their next request.
  await properties.getByLabel("Site").selectOption("Lyon");
  started = new Date();
  await properties.getByRole("button", { name: "Save properties" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(properties.getByRole("status")).toHaveText(`Saved ${tenant.member.name}'s properties.`);
  await expect(access).not.toContainText("by rule");
  await expect(access.getByRole("button", { name: "Subscribe to Studio" })).toBeVisible();
  await member.reload();
  await expect(member.getByRole("list", { name: "Your applications" })).toHaveCount(0);

  const audited = await sql`select action, details->>'rule' as rule, details->>'role' as role from audit_events
    where account_id = ${tenant.accountId} and action in ('rule.granted', 'rule.revoked') order by created_at, id`;
  expect(audited.map((row) => `${row.action} ${row.role} (${row.rule})`)).toEqual([
    "rule.granted Publisher in Studio (Toulouse publishers)",
    "rule.revoked Publisher in Studio (Toulouse publishers)",
  ]);
});
