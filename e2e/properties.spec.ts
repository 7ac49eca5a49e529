import type { Page } from "@playwright/test";
import { createMember, expect, memberRow, test, verifyItsYou } from "./fixtures";

// A7: user properties and access rules — a property defined, values imported by CSV (a
// bad row reported by line and nothing written, then the fixed file applied), a rule
// previewed and saved, and a member whose value makes the rule give them a role on their
// next request and, changed, take it back; the property then renamed and its choices
// changed (one in use is not taken away).

const main = (page: Page) => page.getByRole("navigation", { name: "Main" });

test("a rule gives a role by a property and takes it back when the value changes; a CSV import with a bad row writes nothing", async ({ page, sql, tenant, signInAs, newPage }) => {
  const kimEmail = `kim@${tenant.admin.email.split("@")[1]}`;
  await createMember(sql, { accountOf: tenant.admin.email, email: kimEmail, name: "Kim Site" });
  await signInAs(page, tenant.admin);
  await main(page).getByRole("link", { name: "Properties" }).click();
  await expect(page.getByRole("heading", { name: "Properties and access rules" })).toBeVisible();

  // A choice property.
  const newProperty = page.getByRole("form", { name: "New property" });
  await newProperty.getByLabel("Label").fill("Site");
  await newProperty.getByLabel("Key").fill("site");
  await newProperty.getByLabel("Type").selectOption({ label: "Choice" });
  await newProperty.getByLabel("Choices, one a line").fill("Toulouse\nLyon");
  await newProperty.getByRole("button", { name: "Add property" }).click();
  await expect(page.getByRole("region", { name: "Properties", exact: true }).getByRole("status")).toHaveText("Site was added.");
  await expect(page.getByRole("table", { name: "Properties" })).toContainText("Choice: Toulouse, Lyon");

  const importing = page.getByRole("region", { name: "Import values" });
  // A CSV with a bad row: the line is named, nothing can be applied, nothing is written.
  await page.getByLabel("CSV text").fill(`email,site\n${kimEmail},Toulouse\nnobody@example.test,Lyon\n${tenant.member.email},Paris\n`);
  await page.getByRole("button", { name: "Preview import" }).click();
  await expect(importing.getByRole("alert")).toHaveText("2 problems: nothing can be imported until the file is fixed.");
  const problems = page.getByRole("table", { name: "Problems in the file" });
  await expect(problems.getByRole("row", { name: "3 nobody@example.test is not a member of this account." })).toBeVisible();
  await expect(problems.getByRole("row", { name: "4 Site: “Paris” is not one of Toulouse, Lyon." })).toBeVisible();
  await expect(page.getByRole("button", { name: "Apply import" })).toHaveAttribute("aria-disabled", "true");
  const values = async () => Number((await sql`select count(*)::int as n from user_property_values v join users u on u.id = v.user_id where u.account_id = ${tenant.accountId}`)[0].n);
  expect(await values()).toBe(0);

  // Fixed, it previews the change for each person and applies in one go.
  await page.getByLabel("CSV text").fill(`email,site\n${kimEmail},Toulouse\n`);
  await page.getByRole("button", { name: "Preview import" }).click();
  await expect(page.getByRole("table", { name: "Changes the import would make" }).getByRole("row", { name: `2 ${kimEmail} Site: — → Toulouse` })).toBeVisible();
  let started = new Date();
  await page.getByRole("button", { name: "Apply import" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(importing.getByRole("status")).toHaveText("Imported 1 value for 1 person.");
  expect(await values()).toBe(1);

  // A rule, previewed before saving: who would gain access.
  const newRule = page.getByRole("form", { name: "New rule" });
  await newRule.getByLabel("Rule name").fill("Toulouse admins");
  await newRule.getByLabel("People whose").selectOption({ label: "Site" });
  await newRule.getByLabel("is", { exact: true }).selectOption({ label: "Toulouse" });
  await newRule.getByLabel("get the role").selectOption({ label: "Restricted administrator" });
  await newRule.getByRole("button", { name: "Preview" }).click();
  await expect(newRule.getByRole("region", { name: "Would gain access" })).toContainText(`Kim Site (${kimEmail}): Restricted administrator`);
  await expect(newRule.getByRole("region", { name: "Would lose access" })).toContainText("Nobody.");
  started = new Date();
  await newRule.getByRole("button", { name: "Save rule" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(page.getByRole("listitem", { name: "Toulouse admins" })).toContainText("Site is Toulouse → Restricted administrator · 1 person");

  // The member has no User Management yet.
  const member = await newPage();
  await signInAs(member, tenant.member);
  await expect(main(member).getByRole("link", { name: "User Management" })).toHaveCount(0);
  expect((await member.goto("/users"))?.status()).toBe(404);

  // Their site set on their page: the role appears "by rule", and their next request has it.
  await page.goto(`/users/${tenant.member.id}`);
  const properties = page.getByRole("form", { name: `Properties of ${tenant.member.name}` });
  await properties.getByLabel("Site").selectOption("Toulouse");
  started = new Date();
  await properties.getByRole("button", { name: "Save properties" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(properties.getByRole("status")).toHaveText(`Saved ${tenant.member.name}'s properties.`);
  const roles = page.getByRole("list", { name: `Roles of ${tenant.member.name}` });
  await expect(roles).toContainText("Restricted administrator · by rule Toulouse admins");
  await member.goto("/account");
  await main(member).getByRole("link", { name: "User Management" }).click();
  await expect(member.getByRole("heading", { name: "User Management" })).toBeVisible();

  // The team table filters by the property.
  await page.goto("/users");
  const filter = page.getByRole("form", { name: "Filter by property" });
  await filter.getByLabel("Property", { exact: true }).selectOption({ label: "Site" });
  await filter.getByLabel("Property value").fill("Toulouse");
  await filter.getByRole("button", { name: "Filter by property" }).click();
  await expect(page).toHaveURL(/prop=site&value=Toulouse/);
  await expect(memberRow(page, kimEmail)).toBeVisible();
  await expect(memberRow(page, tenant.member.email)).toBeVisible();
  await expect(memberRow(page, tenant.admin.email)).toHaveCount(0);

  // Changed to Lyon: the rule's grant is gone, and so is their User Management.
  await page.goto(`/users/${tenant.member.id}`);
  await properties.getByLabel("Site").selectOption("Lyon");
  started = new Date();
  await properties.getByRole("button", { name: "Save properties" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(properties.getByRole("status")).toHaveText(`Saved ${tenant.member.name}'s properties.`);
  await expect(roles).not.toContainText("by rule");
  expect((await member.goto("/users"))?.status()).toBe(404);

  const audited = await sql`select action, details->>'rule' as rule, details->>'email' as email from audit_events
    where account_id = ${tenant.accountId} and action in ('rule.granted', 'rule.revoked') order by created_at, id`;
  expect(audited.map((row) => `${row.action} ${row.email} (${row.rule})`)).toEqual([
    `rule.granted ${kimEmail} (Toulouse admins)`,
    `rule.granted ${tenant.member.email} (Toulouse admins)`,
    `rule.revoked ${tenant.member.email} (Toulouse admins)`,
  ]);

  // The property renamed and its choices changed; a choice someone has is not taken away.
  await page.goto("/properties");
  const propertiesRegion = page.getByRole("region", { name: "Properties", exact: true });
  await page.getByRole("button", { name: "Edit Site" }).click();
  const editing = page.getByRole("form", { name: "Edit Site" });
  await editing.getByLabel("Label").fill("Work site");
  await editing.getByLabel("Choices, one a line").fill("Toulouse\nParis");
  await editing.getByRole("button", { name: "Save property" }).click();
  await expect(propertiesRegion.getByRole("alert")).toHaveText("“Lyon” is the value of 1 person: give them another value first.");
  await editing.getByLabel("Choices, one a line").fill("Toulouse\nLyon\nParis");
  await editing.getByRole("button", { name: "Save property" }).click();
  await expect(propertiesRegion.getByRole("status")).toHaveText("Work site was saved.");
  await expect(page.getByRole("table", { name: "Properties" })).toContainText("Work site");
  await expect(page.getByRole("table", { name: "Properties" })).toContainText("Choice: Toulouse, Lyon, Paris");
  await expect(page.getByRole("listitem", { name: "Toulouse admins" })).toContainText("Work site is Toulouse");
});
