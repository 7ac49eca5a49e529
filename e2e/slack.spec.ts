import { expect, test, verifyItsYou } from "./fixtures";

test("Settings → Slack: the workspace and its events URL; the non-members toggle changes only after step-up", async ({ page, sql, tenant, signInAs }) => {
  await signInAs(page, tenant.admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Slack" }).click();
  await expect(page.getByRole("heading", { name: "Slack", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Events request URL" })).toContainText("/api/slack/events");
  const workspace = page.getByRole("form", { name: "Slack workspace" });
  await expect(workspace.getByLabel("Workspace name")).toHaveValue(`${tenant.name} HQ`);
  const card = page.getByRole("region", { name: "Who may invoke the bot" });
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

  // User Management points here instead of holding a second toggle.
  await page.goto("/users");
  await expect(page.getByRole("switch", { name: /Allow non-members/ })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Slack" }).getByRole("link", { name: "Settings → Slack" })).toBeVisible();
});

test("Settings → Slack: disconnecting and connecting a workspace need step-up and are audited", async ({ page, sql, tenant, signInAs }) => {
  await signInAs(page, tenant.admin);
  await page.goto("/settings/slack");
  const workspace = page.getByRole("form", { name: "Slack workspace" });
  let since = new Date();
  await workspace.getByRole("button", { name: "Disconnect workspace" }).click();
  await verifyItsYou(page, tenant.admin.email, since);
  await expect(workspace.getByRole("status")).toHaveText(`Disconnected from ${tenant.name} HQ.`);
  await expect(page.getByRole("region", { name: "Who may invoke the bot" })).toHaveCount(0);

  await workspace.getByLabel("Team ID").fill("nonsense");
  await workspace.getByLabel("Workspace name").fill("Night shift");
  await workspace.getByRole("button", { name: "Connect workspace" }).click();
  await expect(workspace.getByRole("alert")).toHaveText("A Slack team ID starts with T, such as T0123ABCD.");
  const teamId = `T${Date.now().toString(36).toUpperCase()}`;
  await workspace.getByLabel("Team ID").fill(teamId);
  since = new Date();
  await workspace.getByRole("button", { name: "Connect workspace" }).click();
  await verifyItsYou(page, tenant.admin.email, since);
  await expect(workspace.getByRole("status")).toHaveText("Connected to Night shift.");
  await expect(page.getByRole("region", { name: "Who may invoke the bot" })).toBeVisible();
  const events = await sql`select action, target_id from audit_events where account_id = ${tenant.accountId} and action in ('slack.connected', 'slack.disconnected') order by created_at, id`;
  expect(events.map((e) => e.action)).toEqual(["slack.disconnected", "slack.connected"]);
  expect(events[1].target_id).toBe(teamId);
});
