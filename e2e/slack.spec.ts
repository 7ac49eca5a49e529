import { expect, test, verifyItsYou } from "./fixtures";

test("the Slack card shows the workspace, and its toggle changes only after step-up", async ({ page, sql, tenant, signInAs }) => {
  await signInAs(page, tenant.admin);
  await page.goto("/users");
  const card = page.getByRole("region", { name: "Slack" });
  await expect(card).toContainText(`${tenant.name} HQ`);
  const toggle = card.getByRole("switch", { name: "Allow non-members to invoke @Roster in Slack" });
  await expect(toggle).toHaveAttribute("aria-checked", "false");

  await toggle.click();
  await page.getByRole("dialog", { name: "Verify it's you" }).getByRole("button", { name: "Cancel" }).click();
  await expect(card.getByRole("status")).toHaveText("Cancelled: nothing was changed.");
  await expect(toggle).toHaveAttribute("aria-checked", "false");

  const since = new Date();
  await toggle.click();
  await verifyItsYou(page, tenant.admin.email, since);
  await expect(card.getByRole("status")).toHaveText("Non-members can now invoke the bot.");
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  const [event] = await sql`select details from audit_events where action = 'slack.non_members_changed' and account_id = ${tenant.accountId} order by id desc limit 1`;
  expect(event.details).toEqual({ allowNonMembers: true });
});
