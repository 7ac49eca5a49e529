import { randomBytes } from "node:crypto";
import { createMember, expect, test, verifyItsYou } from "./fixtures";

// A6, T3, T4: teams with a lead and quotas, sharing a resource View then Edit, a quota
// refusal, a delete refused with its ties, a transfer then delete, and an anonymisation
// after which the old name and address are nowhere in the database.

test("a team with a lead and quotas; its lead manages its members; a quota refusal names the quota and usage", async ({ page, tenant, signInAs, newPage }) => {
  await signInAs(page, tenant.admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Teams" }).click();
  await expect(page.getByRole("heading", { name: "Teams" })).toBeVisible();
  await page.getByRole("button", { name: "New team" }).click();
  const dialog = page.getByRole("dialog", { name: "New team" });
  await dialog.getByLabel("Name").fill("Platform");
  await dialog.getByLabel("Description").fill("Runs the shared apps.");
  await dialog.getByLabel("Team lead").selectOption({ label: tenant.member.name });
  await dialog.getByRole("group", { name: "Members" }).getByLabel(tenant.admin.name).check();
  await dialog.getByLabel("Max CPU (cores)").fill("2");
  await dialog.getByLabel("Max apps").fill("1");
  await dialog.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByRole("status", { name: "Teams messages" })).toHaveText("Platform was created.");
  const team = page.getByRole("region", { name: "Platform" });
  await expect(team).toContainText(`Lead: ${tenant.member.name}`);
  // The lead is a member too.
  await expect(team.getByRole("list", { name: "Members of Platform" }).getByRole("listitem")).toHaveText([tenant.admin.name, tenant.member.name].sort());
  await expect(team.getByRole("meter", { name: "Apps used (Platform)" })).toHaveAttribute("aria-valuetext", "0 apps of 1 app");

  // An app within the quota, then one past it: refused, naming the quota and the usage.
  await page.goto("/resources");
  await page.getByRole("button", { name: "New resource" }).click();
  let create = page.getByRole("dialog", { name: "New resource" });
  await create.getByLabel("Kind").selectOption({ label: "App" });
  await create.getByLabel("Name").fill("Alpha");
  await create.getByLabel("Team (its quotas apply)").selectOption({ label: "Platform" });
  await create.getByLabel("CPU (cores)").fill("1.5");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("status", { name: "Resources messages" })).toHaveText("Alpha was created.");
  await expect(page.getByRole("row", { name: "Alpha" })).toContainText("1.5 cores");
  await page.getByRole("button", { name: "New resource" }).click();
  create = page.getByRole("dialog", { name: "New resource" });
  await create.getByLabel("Kind").selectOption({ label: "Workflow" });
  await create.getByLabel("Name").fill("Beta");
  await create.getByLabel("Team (its quotas apply)").selectOption({ label: "Platform" });
  await create.getByLabel("CPU (cores)").fill("1");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create.getByRole("alert")).toHaveText("This would pass the Platform team's CPU quota: 1.5 cores of 2 cores in use, and this needs 1 core more.");
  await create.getByLabel("Kind").selectOption({ label: "App" });
  await create.getByLabel("CPU (cores)").fill("0.25");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create.getByRole("alert")).toHaveText("This would pass the Platform team's apps quota: 1 app of 1 app in use, and this needs 1 app more.");
  await create.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("row", { name: "Beta" })).toHaveCount(0);
  await page.goto("/teams");
  await expect(team.getByRole("meter", { name: "CPU used (Platform)" })).toHaveAttribute("aria-valuetext", "1.5 cores of 2 cores");
  await expect(team.getByRole("meter", { name: "Apps used (Platform)" })).toHaveAttribute("aria-valuetext", "1 app of 1 app");

  // The lead sees Teams, only the teams they lead, and changes members — not the quotas.
  const lead = await newPage();
  await signInAs(lead, tenant.member);
  await lead.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Teams" }).click();
  await expect(lead.getByRole("region", { name: "Platform" })).toBeVisible();
  await expect(lead.getByRole("region", { name: "Analytics" })).toHaveCount(0);
  await expect(lead.getByRole("button", { name: "Edit Platform" })).toHaveCount(0);
  await lead.getByRole("button", { name: "Edit members of Platform" }).click();
  const members = lead.getByRole("dialog", { name: "Members of Platform" });
  await members.getByRole("group", { name: "Members" }).getByLabel(tenant.admin.name).uncheck();
  await members.getByRole("button", { name: "Save" }).click();
  await expect(lead.getByRole("list", { name: "Members of Platform" }).getByRole("listitem")).toHaveText([tenant.member.name]);
});

test("sharing a resource View then Edit: the member's abilities follow on their next request", async ({ page, tenant, signInAs, newPage, sql }) => {
  const bea = `bea.${randomBytes(3).toString("hex")}@${tenant.admin.email.split("@")[1]}`;
  await createMember(sql, { accountOf: tenant.admin.email, email: bea, name: "Bea Borrower" });
  await signInAs(page, tenant.admin);
  await page.goto("/resources");
  await page.getByRole("button", { name: "New resource" }).click();
  const create = page.getByRole("dialog", { name: "New resource" });
  await create.getByLabel("Kind").selectOption({ label: "Dashboard" });
  await create.getByLabel("Name").fill("Board pack");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("row", { name: "Board pack" })).toContainText("Private");

  const member = await newPage();
  await signInAs(member, { email: bea });
  await member.goto("/resources");
  await expect(member.getByRole("heading", { name: "Resources" })).toBeVisible();
  await expect(member.getByRole("row", { name: "Board pack" })).toHaveCount(0);

  await page.getByRole("button", { name: "Share Board pack" }).click();
  let share = page.getByRole("dialog", { name: "Share Board pack" });
  await share.getByLabel("Share with").selectOption({ label: "Bea Borrower" });
  await share.getByRole("radio", { name: "View" }).check();
  await share.getByRole("button", { name: "Share", exact: true }).click();
  await expect(page.getByRole("status", { name: "Resources messages" })).toHaveText("Board pack is shared with Bea Borrower to view.");
  await expect(page.getByRole("list", { name: "Shared with (Board pack)" })).toHaveText("Bea Borrower · View");

  await member.reload();
  await expect(member.getByRole("row", { name: "Board pack" })).toBeVisible();
  await expect(member.getByRole("button", { name: "Share Board pack" })).toHaveCount(0);

  await page.getByRole("button", { name: "Share Board pack" }).click();
  share = page.getByRole("dialog", { name: "Share Board pack" });
  await share.getByLabel("Share with").selectOption({ label: "Bea Borrower" });
  await share.getByRole("radio", { name: "Edit" }).check();
  await share.getByRole("button", { name: "Share", exact: true }).click();
  await expect(page.getByRole("list", { name: "Shared with (Board pack)" })).toHaveText("Bea Borrower · Edit");

  await member.reload();
  await expect(member.getByRole("button", { name: "Share Board pack" })).toBeVisible();
  const [{ n }] = await sql`select count(*)::int as n from audit_events where account_id = ${tenant.accountId} and action = 'resource.shared'`;
  expect(n).toBe(2);
});

test("delete is refused with the ties listed; after a transfer of everything it goes, step-up and audited", async ({ page, tenant, signInAs, sql }) => {
  await signInAs(page, tenant.admin);
  await page.goto(`/users/${tenant.member.id}`);
  const leaving = page.getByRole("region", { name: "Leaving" });
  await expect(leaving).toContainText(`${tenant.member.name} cannot be deleted: they own`);
  const ties = leaving.getByRole("list", { name: `What ${tenant.member.name} owns` });
  await expect(ties.getByRole("listitem")).toHaveText(["1 workflow", "1 chat"]);
  await expect(leaving.getByRole("button", { name: /^Delete/ })).toHaveCount(0);
  await expect(ties.getByRole("link", { name: "1 workflow" })).toHaveAttribute("href", `/resources?owner=${tenant.member.id}&kind=workflow`);
  // What it offers instead: Disable, Transfer ownership, Anonymise.
  for (const instead of ["Disable", "Transfer ownership", `Anonymise ${tenant.member.name}`]) await expect(leaving.getByRole("button", { name: instead, exact: true })).toBeVisible();

  const started = new Date();
  await leaving.getByRole("button", { name: "Transfer ownership" }).click();
  const dialog = page.getByRole("dialog", { name: `Transfer ${tenant.member.name}'s resources` });
  await dialog.getByLabel("New owner").selectOption({ label: tenant.admin.name });
  await dialog.getByRole("button", { name: "Transfer all" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(leaving.getByRole("status", { name: "Leaving messages" })).toHaveText(`2 of ${tenant.member.name}'s resources now belong to ${tenant.admin.name}.`);
  await expect(leaving).toContainText(`${tenant.member.name} owns nothing, so they can be deleted.`);

  const again = new Date();
  await leaving.getByRole("button", { name: `Delete ${tenant.member.name}` }).click();
  await verifyItsYou(page, tenant.admin.email, again);
  await expect(page).toHaveURL(/\/users$/);
  expect(await sql`select id from users where email = ${tenant.member.email}`).toEqual([]);
  const actions = await sql`select action from audit_events where account_id = ${tenant.accountId} and action in ('resource.ownership_transferred', 'member.deleted') order by id`;
  expect(actions.map((row) => row.action)).toEqual(["resource.ownership_transferred", "member.deleted"]);
});

test("anonymise: typed email and step-up; afterwards the old name and address are nowhere in the database", async ({ page, tenant, signInAs, sql }) => {
  const tag = randomBytes(3).toString("hex");
  const email = `uma.${tag}@${tenant.admin.email.split("@")[1]}`;
  const name = `Uma Unique${tag}`;
  const id = await createMember(sql, { accountOf: tenant.admin.email, email, name });
  await sql`insert into resources (account_id, owner_id, kind, name) values (${tenant.accountId}, ${id}, 'dashboard', 'Uma board')`;
  await sql`insert into profiles (user_id, phone) values (${id}, '+44 7700 900555')`;
  await signInAs(page, tenant.admin);
  // Something about her in the audit trail and the mail queue first: a disable (step-up).
  await page.goto(`/users/${id}`);
  const leaving = page.getByRole("region", { name: "Leaving" });
  const started = new Date();
  await leaving.getByRole("button", { name: "Disable" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(leaving.getByRole("status", { name: "Leaving messages" })).toHaveText(`${name} was disabled. Their resources stay available to the team.`);

  await leaving.getByRole("button", { name: `Anonymise ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Anonymise ${name}?` });
  await dialog.getByLabel(`Type ${email} to confirm`).fill("someone@else.test");
  await dialog.getByRole("button", { name: "Anonymise" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(`Type ${email} exactly to confirm.`);
  const again = new Date();
  await dialog.getByLabel(`Type ${email} to confirm`).fill(email);
  await dialog.getByRole("button", { name: "Anonymise" }).click();
  await verifyItsYou(page, tenant.admin.email, again);
  await expect(page.getByRole("status", { name: "Leaving messages" })).toHaveText(new RegExp(`^${name} was anonymised: they are now Former member [0-9A-F]{4}\\.$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Former member [0-9A-F]{4}$/);
  await expect(leaving).toContainText("has been anonymised: nothing personal of theirs is left.");
  await expect(leaving.getByRole("button", { name: /^Anonymise/ })).toHaveCount(0);

  // Every text, varchar, JSON and array column of every table.
  const columns = await sql`
    select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb') or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))`;
  expect(columns.length).toBeGreaterThan(40);
  const hits: string[] = [];
  for (const { table_name, column_name } of columns) {
    for (const needle of [email, name, "+44 7700 900555"]) {
      const [{ n }] = await sql`select count(*)::int as n from ${sql(table_name)} where ${sql(column_name)}::text ilike ${`%${needle}%`}`;
      if (n > 0) hits.push(`${table_name}.${column_name}: ${needle}`);
    }
  }
  expect(hits).toEqual([]);
  // Her content stays, owned by the placeholder; the audit trail names the placeholder and still verifies.
  const [board] = await sql`select u.name from resources r join users u on u.id = r.owner_id where r.name = 'Uma board' and r.account_id = ${tenant.accountId}`;
  expect(board.name).toMatch(/^Former member [0-9A-F]{4}$/);
  const trail = await sql`select action from audit_events where target_id = ${id} order by id`;
  expect(trail.map((row) => row.action)).toEqual(["member.disabled", "member.anonymised"]);
});
