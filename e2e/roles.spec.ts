import { callServerAction, expect, memberRow, signIn, test, verifyItsYou } from "./fixtures";

test("a custom role gives a member its abilities on their next request, and taking it away refuses the next one", async ({ page, tenant, signInAs, newPage }) => {
  await signInAs(page, tenant.admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Roles" }).click();
  await expect(page.getByRole("heading", { name: "Roles", exact: true })).toBeVisible();
  // Predefined roles are shown with their permissions and cannot be edited.
  await expect(page.getByRole("listitem", { name: "Restricted administrator" })).toContainText("Manage members");
  await expect(page.getByRole("button", { name: "Edit role Admin" })).toHaveCount(0);

  let started = new Date();
  await page.getByRole("button", { name: "New role" }).click();
  const editor = page.getByRole("dialog", { name: "New role" });
  await editor.getByLabel("Role name").fill("Team viewer");
  await editor.getByRole("checkbox", { name: "See the team" }).check();
  await editor.getByRole("checkbox", { name: "View content" }).check();
  await editor.getByRole("button", { name: "Save role" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(page.getByRole("list", { name: "Permissions of Team viewer" })).toContainText("See the team");

  // The member has no User Management — not even by URL.
  const member = await newPage();
  await signInAs(member, tenant.member);
  await expect(member.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "User Management" })).toHaveCount(0);
  expect((await member.goto("/users"))?.status()).toBe(404);

  // Given the role (from the team table), their very next page has it.
  await page.goto("/users");
  started = new Date();
  await memberRow(page, tenant.member.email).getByRole("button", { name: `Change roles of ${tenant.member.name}` }).click();
  const rolesDialog = page.getByRole("dialog", { name: `Roles of ${tenant.member.name}` });
  await rolesDialog.getByRole("checkbox", { name: "Team viewer" }).check();
  await rolesDialog.getByRole("button", { name: "Save roles" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(page.getByRole("status", { name: "Team table messages" })).toHaveText(`Roles of ${tenant.member.name}: Member, Team viewer.`);
  await expect(memberRow(page, tenant.member.email)).toContainText("Member, Team viewer");

  await member.goto("/account");
  await member.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "User Management" }).click();
  await expect(member.getByRole("heading", { name: "User Management" })).toBeVisible();
  // Seeing the team is not managing it: no invitations, no disable.
  await expect(member.getByRole("button", { name: "Add User" })).toHaveCount(0);
  await expect(member.getByRole("button", { name: /^Disable / })).toHaveCount(0);

  // A role in use cannot be deleted.
  await page.goto("/roles");
  started = new Date();
  await page.getByRole("button", { name: "Delete role Team viewer" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(page.getByRole("status", { name: "Messages about Team viewer" })).toHaveText("Team viewer is held by 1 person: take it from them first.");

  // Taken away on the member page: the member's next request is refused.
  await page.goto(`/users/${tenant.member.id}`);
  started = new Date();
  await page.getByRole("button", { name: `Change roles of ${tenant.member.name}` }).click();
  await page.getByRole("dialog", { name: `Roles of ${tenant.member.name}` }).getByRole("checkbox", { name: "Team viewer" }).uncheck();
  await page.getByRole("dialog", { name: `Roles of ${tenant.member.name}` }).getByRole("button", { name: "Save roles" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(page.getByRole("list", { name: `Roles of ${tenant.member.name}` })).toHaveText("Member");
  await member.getByRole("button", { name: "Refresh" }).click();
  await expect(member.getByRole("heading", { name: "User Management" })).toHaveCount(0);
  expect((await member.goto("/users"))?.status()).toBe(404);

  // Nobody holds it now: it can go.
  await page.goto("/roles");
  started = new Date();
  await page.getByRole("button", { name: "Delete role Team viewer" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(page.getByRole("listitem", { name: "Team viewer" })).toHaveCount(0);
});

test("a shared workstation is made for a place, signs in, and can neither take a role nor become a person", async ({ page, tenant, signInAs, newPage }) => {
  await signInAs(page, tenant.admin);
  await page.goto("/users");
  const started = new Date();
  await page.getByRole("button", { name: "Add workstation" }).click();
  const dialog = page.getByRole("dialog", { name: "Add shared workstation" });
  await dialog.getByLabel("Name").fill("Front desk");
  await dialog.getByLabel("Location").fill("Plant 2, entrance hall");
  await dialog.getByRole("button", { name: "Create workstation" }).click();
  await verifyItsYou(page, tenant.admin.email, started);
  await expect(dialog.getByRole("status")).toContainText("Front desk was created.");
  const signInName = (await dialog.locator("dd.font-mono").nth(0).textContent())!;
  const password = (await dialog.locator("dd.font-mono").nth(1).textContent())!;
  expect(signInName).toMatch(/^front-desk-[a-z0-9x]+@workstation\.invalid$/);
  await dialog.getByRole("button", { name: "Done" }).click();

  // In the table with its one role, and no way to change it.
  const row = memberRow(page, signInName);
  await expect(row).toContainText("Shared workstation");
  await expect(row.getByRole("button", { name: /^Change roles of/ })).toHaveCount(0);
  await row.getByRole("link", { name: "Front desk" }).click();
  await expect(page.getByRole("region", { name: "Roles" })).toContainText("holds only the Shared workstation role and can never become a personal account");
  const workstationId = page.url().split("/").pop()!;

  // A crafted request to give it a person's role is refused, saying what to do instead.
  const crafted = await callServerAction(page, { file: "app/(console)/users/actions.ts", name: "setMemberRoles", path: "/users", args: [{ userId: workstationId, roles: ["member"] }] });
  expect(crafted.body).toContain("A shared workstation cannot become a personal account or hold another role. Create a personal account for the person instead");
  expect(crafted.body).not.toContain("challengeId");

  // It signs in with what was shown once, and sees no administration.
  const desk = await newPage();
  await signIn(desk, signInName, password);
  await expect(desk.getByRole("heading", { name: "Personal Account" })).toBeVisible();
  await expect(desk.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "User Management" })).toHaveCount(0);
  await expect(desk.getByRole("main")).toContainText("Shared workstation");
});

test("an application subscription with its app roles shows on the person's account page", async ({ page, tenant, signInAs, newPage, sql }) => {
  await signInAs(page, tenant.admin);
  await page.goto("/users");
  await memberRow(page, tenant.member.email).getByRole("link", { name: tenant.member.name }).click();
  await expect(page.getByRole("heading", { name: tenant.member.name })).toBeVisible();
  const access = page.getByRole("region", { name: "Application access" });
  await access.getByRole("button", { name: "Subscribe to Studio" }).click();
  await expect(access.getByRole("status")).toHaveText(`${tenant.member.name} now uses Studio.`);
  await expect(access).toContainText("App roles: User");
  await access.getByRole("checkbox", { name: "Publisher" }).check();
  await access.getByRole("button", { name: "Save app roles in Studio" }).click();
  await expect(access).toContainText("App roles: User, Publisher");

  const member = await newPage();
  await signInAs(member, tenant.member);
  await expect(member.getByRole("list", { name: "Your applications" })).toHaveText("Studio: User, Publisher");

  await access.getByRole("button", { name: "Unsubscribe from Studio" }).click();
  await expect(access.getByRole("status")).toHaveText(`${tenant.member.name} no longer uses Studio.`);
  await member.reload();
  await expect(member.getByRole("list", { name: "Your applications" })).toHaveCount(0);

  // A5: given with an end, chosen when it is given ("Verify it's you", as any expiry).
  const ends = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 16);
  await access.getByLabel("Insights access ends (optional)").fill(ends);
  const since = new Date();
  await access.getByRole("button", { name: "Subscribe to Insights" }).click();
  await verifyItsYou(page, tenant.admin.email, since);
  await expect(access.getByRole("status")).toHaveText(`${tenant.member.name} now uses Insights until ${ends.replace("T", " ")} UTC.`);
  const [subscription] = await sql`select s.expires_at from app_subscriptions s join applications a on a.id = s.application_id where a.key = 'insights' and s.user_id = ${tenant.member.id}`;
  expect(new Date(subscription.expires_at).toISOString().slice(0, 16)).toBe(ends);
  await expect(page.getByRole("region", { name: "Access expiry" })).toContainText("Insights");
});

test("on a phone, a member's roles are changed from their card's Actions menu", async ({ page, tenant, signInAs }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAs(page, tenant.admin);
  await page.goto("/users");
  const actions = page.getByRole("button", { name: `Actions for ${tenant.member.name}` });
  await actions.click();
  await page.getByRole("menu", { name: `Actions for ${tenant.member.name}` }).getByRole("menuitem", { name: "Change roles" }).click();
  const dialog = page.getByRole("dialog", { name: `Roles of ${tenant.member.name}` });
  await expect(dialog.getByRole("checkbox", { name: "Member", exact: true })).toBeChecked();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(actions).toBeFocused();
});
