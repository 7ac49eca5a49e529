import type { Page } from "@playwright/test";
import { callServerAction, createMember, expect, memberRow, signIn, test, verifyItsYou } from "./fixtures";
import { createUnits } from "./support/units";

// A4: organisation units — the tree built and reshaped in the console, and a Restricted
// administrator of one unit who sees that unit's members and nobody else's, whichever way
// they ask (the table, its search and counts, a URL, a crafted server action, the API).

const unitItem = (page: Page, name: string) => page.getByRole("listitem", { name, exact: true });
const unitMessages = (page: Page) => page.getByRole("status", { name: "Unit messages" });

async function addUnit(page: Page, name: string, under: string | null) {
  await (under ? page.getByRole("button", { name: `Add unit under ${under}`, exact: true }) : page.getByRole("button", { name: "New unit" })).click();
  const dialog = page.getByRole("dialog", { name: "New unit" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create unit" }).click();
  await expect(dialog).toBeHidden();
  await expect(unitMessages(page)).toHaveText(under ? `${name} was created under ${under}.` : `${name} was created at the top level.`);
}

test("an admin builds the unit tree, reshapes it, and is told what to do when a change cannot be made", async ({ page, sql, tenant, signInAs }) => {
  await signInAs(page, tenant.admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Units" }).click();
  await expect(page.getByRole("heading", { name: "Organisation units" })).toBeVisible();
  await expect(page.getByText("No units yet.")).toBeVisible();

  await addUnit(page, "Acme", null);
  await addUnit(page, "EMEA", "Acme");
  await addUnit(page, "Germany", "EMEA");
  await addUnit(page, "Plant 2", "Germany");
  await addUnit(page, "Americas", "Acme");
  await expect(page.getByRole("list", { name: "Units below Germany" }).getByRole("listitem", { name: "Plant 2" })).toBeVisible();

  // Under its own descendant: refused before any code is sent, saying what to do.
  await page.getByRole("button", { name: "Move EMEA" }).click();
  const move = page.getByRole("dialog", { name: "Move EMEA" });
  await move.getByLabel("Move under").selectOption({ label: "Acme / EMEA / Germany / Plant 2" });
  await move.getByRole("button", { name: "Move unit" }).click();
  await expect(move.getByRole("alert")).toHaveText("Plant 2 is inside EMEA, so EMEA cannot move under it. Choose a parent outside EMEA, or move Plant 2 out first.");
  await move.getByRole("button", { name: "Cancel" }).click();

  // A unit with a unit below it is not deleted.
  await page.getByRole("button", { name: "Delete Germany" }).click();
  await expect(unitMessages(page)).toHaveText("Germany still has 1 sub-unit. First move or delete its sub-units.");

  // Moving changes who administers whom: "Verify it's you". Everything below comes along.
  await page.getByRole("button", { name: "Move Germany" }).click();
  const moveGermany = page.getByRole("dialog", { name: "Move Germany" });
  await moveGermany.getByLabel("Move under").selectOption({ label: "Acme / Americas" });
  const since = new Date();
  await moveGermany.getByRole("button", { name: "Move unit" }).click();
  await verifyItsYou(page, tenant.admin.email, since);
  await expect(unitMessages(page)).toHaveText("Germany moved under Americas.");
  const americas = page.getByRole("list", { name: "Units below Americas" });
  await expect(americas.getByRole("listitem", { name: "Germany" })).toBeVisible();
  await expect(americas.getByRole("listitem", { name: "Plant 2" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Units below EMEA" })).toHaveCount(0);

  await page.getByRole("button", { name: "Rename Americas" }).click();
  const rename = page.getByRole("dialog", { name: "Rename Americas" });
  await rename.getByLabel("Name").fill("The Americas");
  await rename.getByRole("button", { name: "Save name" }).click();
  await expect(unitMessages(page)).toHaveText("Americas is now The Americas.");

  // An empty unit goes; a unit with a member in it does not.
  await page.getByRole("button", { name: "Delete Plant 2" }).click();
  await expect(unitMessages(page)).toHaveText("Plant 2 was deleted.");
  await expect(unitItem(page, "Plant 2")).toHaveCount(0);
  await page.goto(`/users/${tenant.member.id}`);
  const units = page.getByRole("region", { name: "Units" });
  await units.getByLabel("Put in a unit").selectOption({ label: "Acme / EMEA" });
  const placed = new Date();
  await units.getByRole("button", { name: "Add to unit" }).click();
  await verifyItsYou(page, tenant.admin.email, placed);
  await expect(units.getByRole("status", { name: "Messages about units" })).toHaveText(`${tenant.member.name} is now in EMEA.`);
  await expect(units.getByRole("list", { name: `Units of ${tenant.member.name}` }).getByRole("listitem")).toContainText(["Acme / EMEA"]);
  await page.goto("/units");
  await page.getByRole("button", { name: "Delete EMEA" }).click();
  await expect(unitMessages(page)).toHaveText("EMEA still has 1 member. First take its members out of it (on their pages) or move them to another unit.");
  await expect(unitItem(page, "EMEA")).toContainText("1 member");

  // The tree by keyboard: a unit's units below it close and open again.
  const toggle = page.getByRole("button", { name: "Units below The Americas" });
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("list", { name: "Units below The Americas" })).toHaveCount(0);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("list", { name: "Units below The Americas" }).getByRole("listitem", { name: "Germany" })).toBeVisible();

  // Every change is in the audit trail.
  const audited = await sql`select action, details from audit_events where account_id = ${tenant.accountId} and action like 'unit.%' order by created_at`;
  expect(audited.map((row) => row.action)).toEqual([
    "unit.created",
    "unit.created",
    "unit.created",
    "unit.created",
    "unit.created",
    "unit.moved",
    "unit.renamed",
    "unit.deleted",
    "unit.member_added",
  ]);
  expect(audited[5].details).toMatchObject({ name: "Germany", before: "EMEA", after: "Americas" });
});

test("a Restricted administrator of EMEA sees and manages EMEA alone — in the table, by URL, by a crafted request and through the API", async ({ page, sql, tenant, signInAs, newPage, playwright }) => {
  const domain = tenant.admin.email.split("@")[1];
  const ritaId = await createMember(sql, { accountOf: tenant.admin.email, email: `rita@${domain}`, name: "Rita Regional" });
  const olgaId = await createMember(sql, { accountOf: tenant.admin.email, email: `olga@${domain}`, name: "Olga Outside" });
  await createUnits(
    sql,
    tenant.accountId,
    [
      ["EMEA", null],
      ["Germany", "EMEA"],
      ["Americas", null],
    ],
    [
      [ritaId, "EMEA"],
      [tenant.member.id, "Germany"],
      [olgaId, "Americas"],
    ],
  );

  // The Admin makes Rita Restricted administrator of EMEA, on her page.
  await signInAs(page, tenant.admin);
  await page.goto(`/users/${ritaId}`);
  await page.getByRole("button", { name: "Change roles of Rita Regional" }).click();
  const roles = page.getByRole("dialog", { name: "Roles of Rita Regional" });
  await roles.getByLabel("Role on a unit").selectOption({ label: "Restricted administrator" });
  await roles.getByLabel("On unit").selectOption({ label: "EMEA" });
  await roles.getByRole("button", { name: "Add role on unit" }).click();
  await expect(roles.getByRole("list", { name: "Roles on units" })).toContainText("Restricted administrator on EMEA");
  const since = new Date();
  await roles.getByRole("button", { name: "Save roles" }).click();
  await verifyItsYou(page, tenant.admin.email, since);
  await expect(page.getByRole("list", { name: "Roles of Rita Regional" })).toHaveText(/Member\s*Restricted administrator \(EMEA\)/);

  // Rita's team is EMEA's: herself, and Sam in Germany below it.
  const rita = await newPage();
  await signIn(rita, `rita@${domain}`);
  await rita.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "User Management" }).click();
  await expect(rita.getByRole("heading", { name: "User Management" })).toBeVisible();
  await expect(memberRow(rita, tenant.member.email)).toBeVisible();
  await expect(memberRow(rita, `rita@${domain}`)).toBeVisible();
  await expect(rita.getByRole("navigation", { name: "Pagination" })).toContainText("2 members · Page 1 of 1");
  for (const outside of [`olga@${domain}`, tenant.admin.email, tenant.disabled.email, tenant.invited.email]) await expect(memberRow(rita, outside)).toHaveCount(0);
  await rita.getByLabel("Search").fill("Olga");
  await expect(rita.getByText("No members match.")).toBeVisible();
  await expect(rita.getByRole("navigation", { name: "Pagination" })).toContainText("0 members");
  // Her unit filter offers her units only.
  await expect(rita.getByLabel("Unit").getByRole("option")).toHaveText(["All units", "EMEA", "EMEA / Germany"]);
  // Not the Units page: she does not manage units.
  await expect(rita.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Units" })).toHaveCount(0);

  // Olga by URL, and by a crafted server action: not found, exactly as another account's member.
  expect((await rita.goto(`/users/${olgaId}`))?.status()).toBe(404);
  await rita.goto("/users");
  const crafted = await callServerAction(rita, { file: "app/(console)/users/actions.ts", name: "disableMember", path: "/users", args: [{ userId: olgaId }] });
  expect(crafted.body).toContain("No such member in this account.");
  expect(crafted.body).not.toContain("challengeId");
  expect((await sql`select status from users where id = ${olgaId}`)[0].status).toBe("active");
  // Inside her unit, her role's actions are hers: disabling Sam asks for her code.
  await expect(memberRow(rita, tenant.member.email).getByRole("button", { name: `Disable ${tenant.member.name}` })).toBeVisible();

  // She adds people only to her units: the invitation must name one.
  await rita.getByRole("button", { name: "Add User" }).click();
  const add = rita.getByRole("dialog", { name: "Add user" });
  await expect(add.getByLabel("Unit").getByRole("option")).toHaveText(["EMEA", "EMEA / Germany"]);
  await add.getByLabel("Email").fill(`gina@${domain}`);
  await add.getByLabel("Unit").selectOption({ label: "EMEA / Germany" });
  const invited = new Date();
  await add.getByRole("button", { name: "Send invitation" }).click();
  await verifyItsYou(rita, `rita@${domain}`, invited);
  await expect(memberRow(rita, `gina@${domain}`)).toContainText("Invited");

  // Her API key lists what her table does.
  await rita.goto("/account/api-keys");
  await rita.getByLabel("Key name").fill("EMEA report");
  const scopes = rita.getByRole("group", { name: "Scopes" });
  for (const box of await scopes.getByRole("checkbox").all()) await box.uncheck();
  await scopes.getByRole("checkbox", { name: "Read members" }).check();
  const keyed = new Date();
  await rita.getByRole("button", { name: "Create API key" }).click();
  await verifyItsYou(rita, `rita@${domain}`, keyed);
  const key = await rita.getByRole("region", { name: "New API key" }).getByRole("textbox", { name: "New API key value" }).inputValue();
  const api = await playwright.request.newContext({ baseURL: new URL(rita.url()).origin });
  const get = (path: string) => api.get(`/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
  const listed = await (await get("/users?pageSize=100")).json();
  expect(listed.data.map((row: { email: string }) => row.email).sort()).toEqual([`gina@${domain}`, `rita@${domain}`, tenant.member.email].sort());
  expect(listed.total).toBe(3);
  expect((await get(`/users/${olgaId}`)).status()).toBe(404);
  expect((await (await get(`/users/${tenant.member.id}`)).json()).units).toEqual([expect.objectContaining({ name: "Germany" })]);
  expect((await (await get("/units")).json()).data.map((unit: { path: string }) => unit.path)).toEqual(["EMEA", "EMEA / Germany"]);
  await api.dispose();

  // Taken out of EMEA, Sam is out of her sight on her next request.
  await page.goto(`/users/${tenant.member.id}`);
  const takenOut = new Date();
  await page.getByRole("region", { name: "Units" }).getByRole("button", { name: "Take out of Germany" }).click();
  await verifyItsYou(page, tenant.admin.email, takenOut);
  await expect(page.getByRole("region", { name: "Units" })).toContainText("In no unit");
  await rita.goto("/users");
  await expect(memberRow(rita, tenant.member.email)).toHaveCount(0);
  expect((await rita.goto(`/users/${tenant.member.id}`))?.status()).toBe(404);
});

test("the team table filters by a unit and everything below it, in the URL", async ({ page, sql, tenant, signInAs }) => {
  const domain = tenant.admin.email.split("@")[1];
  const hugoId = await createMember(sql, { accountOf: tenant.admin.email, email: `hugo@${domain}`, name: "Hugo Plant" });
  const ids = await createUnits(
    sql,
    tenant.accountId,
    [
      ["EMEA", null],
      ["Germany", "EMEA"],
      ["Plant 2", "Germany"],
      ["Americas", null],
    ],
    [
      [tenant.member.id, "Germany"],
      [hugoId, "Plant 2"],
      [tenant.admin.id, "Americas"],
    ],
  );
  await signInAs(page, tenant.admin);
  await page.goto("/users");
  await page.getByLabel("Unit").selectOption({ label: "EMEA" });
  await expect(page).toHaveURL(new RegExp(`unit=${ids.EMEA}`));
  await expect(page.getByRole("navigation", { name: "Pagination" })).toContainText("2 members");
  await expect(memberRow(page, `hugo@${domain}`)).toBeVisible();
  await expect(memberRow(page, tenant.member.email)).toBeVisible();
  await expect(memberRow(page, tenant.admin.email)).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel("Unit")).toHaveValue(ids.EMEA);
  await page.getByLabel("Unit").selectOption({ label: "EMEA / Germany / Plant 2" });
  await expect(page.getByRole("navigation", { name: "Pagination" })).toContainText("1 member");
  await page.getByLabel("Unit").selectOption({ label: "All units" });
  await expect(memberRow(page, tenant.admin.email)).toBeVisible();
});
