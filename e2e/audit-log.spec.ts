import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, memberRow, test, verifyItsYou } from "./fixtures";

// O1: the audit log — an action shows up, filtered by action and actor (in the URL),
// exported as CSV and JSON Lines (the files read back), and its integrity verified, then
// caught once a row is edited in the database behind the console's back.

async function download(page: Page, name: string) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, "utf8") };
}

test("an administrator finds an action in the audit log, exports it, and verifies the log's integrity", async ({ page, sql, tenant, signInAs }) => {
  await signInAs(page, tenant.admin);
  // Something to find: the admin disables the member (through "Verify it's you").
  await page.goto("/users");
  const started = new Date();
  await memberRow(page, tenant.member.email).getByRole("button", { name: `Disable ${tenant.member.name}` }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(page.getByRole("status", { name: "Team table messages" })).toContainText("was disabled");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  const filters = page.getByRole("search", { name: "Filter the audit log" });
  await filters.getByLabel("Action").selectOption({ label: "Disabled a member" });
  await filters.getByLabel("Actor (email or ID)").fill(tenant.admin.email);
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=member\.disabled/);
  expect(new URL(page.url()).searchParams.get("actor")).toBe(tenant.admin.email);

  const table = page.getByRole("table", { name: "Audit events, newest first" });
  const rows = table.getByRole("row").filter({ has: page.getByRole("cell") });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Disabled a member");
  await expect(rows.first()).toContainText(tenant.admin.email);
  await expect(rows.first()).toContainText(tenant.member.email);
  // The filter stays when the page is opened again from its URL.
  await page.reload();
  await expect(page.getByLabel("Action")).toHaveValue("member.disabled");
  await expect(rows).toHaveCount(1);

  const csv = await download(page, "Export CSV");
  expect(csv.name).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = csv.text.trim().split("\r\n");
  expect(lines[0]).toContain(`filter: actor=${tenant.admin.email}, action=member.disabled`);
  expect(lines[1]).toBe("time,actor_id,actor_email,action,action_label,result,target_type,target_id,target_email,ip,user_agent,details");
  expect(lines).toHaveLength(3);
  expect(lines[2]).toContain(`,${tenant.admin.email},member.disabled,Disabled a member,success,user,${tenant.member.id},${tenant.member.email},`);

  const jsonl = await download(page, "Export JSON Lines");
  const records = jsonl.text.trim().split("\n").map((line) => JSON.parse(line));
  expect(records[0].export.filter).toEqual({ actor: tenant.admin.email, action: "member.disabled" });
  expect(records.slice(1)).toEqual([expect.objectContaining({ action: "member.disabled", actor_email: tenant.admin.email, target_email: tenant.member.email })]);

  // Exports are audited, with their filter and format.
  await page.goto("/audit?action=audit.exported");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('"format":"jsonl"');

  // The member's page shows their trail and links to it.
  await page.goto(`/users/${tenant.member.id}`);
  await expect(page.getByRole("list", { name: `Recent activity of ${tenant.member.name}` })).toContainText("Disabled a member");
  await page.getByRole("link", { name: "Full trail in the audit log" }).click();
  await expect(page).toHaveURL(new RegExp(`member=${tenant.member.id}`));
  await expect(rows.filter({ hasText: "Disabled a member" })).toHaveCount(1);

  await page.goto("/audit");
  await page.getByRole("button", { name: "Verify integrity" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Integrity" })).toHaveText(/^Integrity OK: all \d+ events are intact and in order\.$/);

  // Someone with the database's owner role edits the row behind the console's back.
  const [row] = await sql`select id from audit_events where account_id = ${tenant.accountId} and action = 'member.disabled'`;
  // (No BEGIN: the embedded database's socket shares the console's one session.)
  await sql`alter table audit_events disable trigger audit_events_no_update_delete`;
  try {
    await sql`update audit_events set target_id = ${tenant.admin.id} where id = ${row.id}`;
  } finally {
    await sql`alter table audit_events enable trigger audit_events_no_update_delete`;
  }
  await page.reload();
  await page.getByRole("button", { name: "Verify integrity" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Integrity" })).toContainText(`Integrity check failed at event #${row.id} (Disabled a member,`);
});

test("without audit.read there is no audit log, nor its export", async ({ page, tenant, signInAs }) => {
  await signInAs(page, tenant.member);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" })).toHaveCount(0);
  expect((await page.goto("/audit"))?.status()).toBe(404);
  expect((await page.request.get("/audit/export?format=csv")).status()).toBe(404);
});

test("reading the audit log does not mean exporting it: audit.read alone shows no Export, and the export is refused", async ({ page, tenant, signInAs, sql }) => {
  const [role] = await sql`insert into custom_roles (account_id, name, permissions) values (${tenant.accountId}, 'Auditor', ${["audit.read"]}) returning id`;
  await sql`insert into role_grants (account_id, user_id, custom_role_id) select account_id, id, ${role.id} from users where email = ${tenant.member.email}`;
  await signInAs(page, tenant.member);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Export/ })).toHaveCount(0);
  for (const format of ["csv", "jsonl"]) expect((await page.request.get(`/audit/export?format=${format}`)).status(), format).toBe(404);
});
