import type { Locator } from "@playwright/test";
import { createMember, expect, memberRow, signIn, stepUpCode, test, verifyItsYou, waitForEmail, type Tenant } from "./fixtures";

/** Fails unless the element lies within the page's first `width` pixels: seen without scrolling sideways. */
async function expectWithinWidth(locator: Locator, width: number) {
  const box = await locator.boundingBox();
  expect(box, `${locator} is on the page`).not.toBeNull();
  expect(box!.x, `${locator} starts on screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${locator} ends on screen`).toBeLessThanOrEqual(width);
}

/** An address on the tenant's own domain, unique across tests running in parallel. */
function addressAt(tenant: Tenant, local: string) {
  return `${local}@${tenant.admin.email.split("@")[1]}`;
}

test.describe("team management", () => {
  test.beforeEach(async ({ page, tenant, signInAs }) => {
    await signInAs(page, tenant.admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "User Management" }).click();
    await expect(page.getByRole("heading", { name: "User Management" })).toBeVisible();
  });

  test("invite → verify it's you → email → accept → the new member signs in and shows Active", async ({ page, tenant, newPage }) => {
    const email = addressAt(tenant, "new.person");
    const started = new Date();
    await page.getByRole("button", { name: "Add User" }).click();
    const addDialog = page.getByRole("dialog", { name: "Add user" });
    await addDialog.getByLabel("Email").fill(email);
    await addDialog.getByLabel("Name (optional)").fill("Nova Newcomer");
    await addDialog.getByRole("button", { name: "Send invitation" }).click();

    await verifyItsYou(page, tenant.admin.email, started);
    await expect(page.getByRole("status", { name: "Team table messages" })).toHaveText(`Invitation sent to ${email}.`);
    await expect(memberRow(page, email).getByText("Invited")).toBeVisible();

    // The invitee reads their inbox and follows the link in a browser of their own.
    const invitation = await waitForEmail(email, (m) => /invited you/.test(m.subject));
    const link = invitation.text?.match(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]+/)?.[0];
    expect(link).toBeTruthy();
    const inviteePage = await newPage();
    await inviteePage.goto(link!);
    await expect(inviteePage.getByRole("heading", { name: `Join ${tenant.name}` })).toBeVisible();
    await inviteePage.getByLabel("Your name").fill("Nova Newcomer");
    await inviteePage.getByLabel("Password", { exact: true }).fill("weak");
    await expect(inviteePage.getByRole("list", { name: "Password rules" }).getByText("A digit (not met yet)")).toBeAttached();
    await inviteePage.getByLabel("Password", { exact: true }).fill("Tidal-Orbit-4821");
    await inviteePage.getByLabel("Confirm password").fill("Tidal-Orbit-4821");
    await inviteePage.getByRole("button", { name: "Accept invitation" }).click();
    await expect(inviteePage.getByRole("heading", { name: "Personal Account" })).toBeVisible();
    await expect(inviteePage.getByText("Signed in as Nova Newcomer")).toBeVisible();

    // The link works once.
    const again = await newPage();
    await again.goto(link!);
    await expect(again.getByRole("heading", { name: "Invitation already accepted" })).toBeVisible();

    await page.getByRole("button", { name: "Refresh" }).click();
    // Exact: a row also holds its card label "Last active" (shown below 1280 px).
    await expect(memberRow(page, email).getByText("Active", { exact: true })).toBeVisible();

    // The admin sees the invitation's delivery, not its contents.
    await page.getByRole("link", { name: "Email delivery" }).click();
    const delivered = page.getByRole("row").filter({ hasText: email });
    await expect(delivered.getByText("Sent", { exact: true })).toBeVisible();
    await expect(delivered).toContainText(`invited you to ${tenant.name}`);
    await expect(page.getByRole("main")).not.toContainText(link!);
  });

  test("Add User steps aside for Verify it's you; a cancelled code step brings back what was typed; focus follows", async ({ page, tenant }) => {
    const email = addressAt(tenant, "draft.person");
    const addUser = page.getByRole("button", { name: "Add User" });
    await addUser.click();
    const addDialog = page.getByRole("dialog", { name: "Add user" });
    await addDialog.getByLabel("Email").fill(email);
    await addDialog.getByLabel("Name (optional)").fill("Dora Draft");
    await addDialog.getByRole("checkbox", { name: "Admin", exact: true }).check();
    await addDialog.getByRole("button", { name: "Send invitation" }).click();

    // One dialog on screen at a time — counting those the modal hides from assistive
    // technology, which are still painted — and the code field is where typing goes.
    const verify = page.getByRole("dialog", { name: "Verify it's you" });
    const everyDialog = page.getByRole("dialog", { includeHidden: true });
    await expect(verify).toBeVisible();
    await expect(everyDialog).toHaveCount(1);
    await expect(page.getByText("They get an email with a link to set their password.")).toBeHidden();
    await expect(page.getByRole("button", { name: "Sending…", includeHidden: true })).toHaveCount(0);
    await expect(verify.getByRole("textbox", { name: "Verification code" })).toBeFocused();

    await verify.getByRole("button", { name: "Cancel" }).click();
    await expect(verify).toBeHidden();
    await expect(everyDialog).toHaveCount(1);
    await expect(addDialog.getByRole("alert")).toHaveText("Cancelled: nothing was sent.");
    await expect(addDialog.getByLabel("Email")).toHaveValue(email);
    await expect(addDialog.getByLabel("Name (optional)")).toHaveValue("Dora Draft");
    await expect(addDialog.getByRole("checkbox", { name: "Admin", exact: true })).toBeChecked();
    await expect(addDialog.getByRole("checkbox", { name: "Member", exact: true })).toBeChecked();
    await expect(addDialog.getByLabel("Email")).toBeFocused();

    // The second try goes through, and focus returns to the button that started it all.
    const started = new Date();
    await addDialog.getByRole("button", { name: "Send invitation" }).click();
    await expect(verify).toBeVisible();
    await expect(everyDialog).toHaveCount(1);
    await verifyItsYou(page, tenant.admin.email, started);
    await expect(everyDialog).toHaveCount(0);
    await expect(page.getByRole("status", { name: "Team table messages" })).toHaveText(`Invitation sent to ${email}.`);
    await expect(addUser).toBeFocused();
    await expect(memberRow(page, email).getByText("Invited")).toBeVisible();
  });

  test("resend and revoke an invitation each need Verify it's you", async ({ page, sql, tenant }) => {
    const email = addressAt(tenant, "pending.person");
    await sql`insert into users (account_id, email, name, status) values (${tenant.accountId}, ${email}, 'Pat Pending', 'invited')`;
    await page.getByRole("button", { name: "Refresh" }).click();
    const row = memberRow(page, email);
    const messages = page.getByRole("status", { name: "Team table messages" });
    const dialog = page.getByRole("dialog", { name: "Verify it's you" });

    let started = new Date();
    await row.getByRole("button", { name: "Resend invitation to Pat Pending" }).click();
    await expect(dialog).toContainText(`To resend the invitation to ${email}, enter the 6-digit code`);
    // Nothing goes to the invitee before the code.
    const [{ n }] = await sql`select count(*)::int as n from email_outbox where to_address = ${email}`;
    expect(n).toBe(0);
    await verifyItsYou(page, tenant.admin.email, started);
    await expect(messages).toHaveText(`Invitation re-sent to ${email}.`);
    const invitation = await waitForEmail(email, (m) => /invited you/.test(m.subject));
    const link = invitation.text?.match(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]+/)?.[0];
    expect(link).toBeTruthy();

    started = new Date();
    await row.getByRole("button", { name: "Revoke invitation for Pat Pending" }).click();
    await expect(dialog).toContainText(`To revoke the invitation for ${email}, enter the 6-digit code`);
    await verifyItsYou(page, tenant.admin.email, started);
    await expect(messages).toHaveText(`Invitation for ${email} was revoked.`);
    await expect(row).toHaveCount(0);
    const events = await sql`select action from audit_events where account_id = ${tenant.accountId} and details->>'email' = ${email} order by created_at`;
    expect(events.map((e) => e.action)).toEqual(["invitation.resent", "invitation.revoked"]);
  });

  test("disable sends the member's open browser to sign-in on its next click; enable restores access and content", async ({ page, sql, tenant, signInAs, newPage }) => {
    const memberPage = await newPage();
    await signInAs(memberPage, tenant.member);

    const row = memberRow(page, tenant.member.email);
    await expect(row.getByText("2 items")).toBeVisible();
    const started = new Date();
    await row.getByRole("button", { name: "Disable" }).click();
    await verifyItsYou(page, tenant.admin.email, started);
    await expect(page.getByRole("status", { name: "Team table messages" })).toContainText(`${tenant.member.name} was disabled`);
    await expect(row.getByText("Disabled")).toBeVisible();
    await expect(row.getByText("2 items, still available to the team")).toBeVisible();

    // Their next click, in the browser they already had open, lands on sign-in.
    await memberPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Personal Account" }).click();
    await expect(memberPage.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
    await memberPage.getByLabel("Email").fill(tenant.member.email);
    await memberPage.getByLabel("Password").fill(tenant.password);
    await memberPage.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(memberPage.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");

    const restarted = new Date();
    await row.getByRole("button", { name: "Enable" }).click();
    await verifyItsYou(page, tenant.admin.email, restarted);
    await expect(row.getByText("Active", { exact: true })).toBeVisible();

    await signIn(memberPage, tenant.member.email);
    const [{ n }] = await sql`select count(*)::int as n from resources where owner_id = ${tenant.member.id}`;
    expect(n).toBe(2);
    await expect(row.getByText("2 items")).toBeVisible();
  });

  test("Cancel in the dialog changes nothing; the dialog works from the keyboard and says what it confirms", async ({ page, sql, tenant }) => {
    const row = memberRow(page, tenant.member.email);
    const disable = row.getByRole("button", { name: "Disable" });
    await disable.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Verify it's you" });
    await expect(dialog).toBeVisible();
    const [{ name }] = await sql`select name from users where id = ${tenant.member.id}`;
    await expect(dialog).toContainText(`To disable ${name}, enter the 6-digit code`);
    // Tab walks from the code field through every button of the dialog, and stays inside it.
    await expect(dialog.getByRole("textbox", { name: "Verification code" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(dialog.getByRole("button", { name: "Send a new code" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(dialog.getByRole("button", { name: "Verify" })).toBeFocused();
    await page.keyboard.press("Shift+Tab");
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(dialog).toBeHidden();
    // Focus goes back to the button that opened the dialog.
    await expect(disable).toBeFocused();
    await expect(page.getByRole("status", { name: "Team table messages" })).toHaveText("Cancelled: nothing was changed.");
    await expect(row.getByText("Active", { exact: true })).toBeVisible();
    const [user] = await sql`select status from users where id = ${tenant.member.id}`;
    expect(user.status).toBe("active");
  });

  test("an expired code is replaced with Send a new code, without redoing the action", async ({ page, sql, tenant }) => {
    const admin = tenant.admin.email;
    const row = memberRow(page, tenant.disabled.email);
    const started = new Date();
    await row.getByRole("button", { name: "Enable" }).click();
    const dialog = page.getByRole("dialog", { name: "Verify it's you" });
    const firstCode = await stepUpCode(admin, started);
    const [{ name }] = await sql`select name from users where id = ${tenant.disabled.id}`;
    const wording = `It confirms this action: enable ${name}.`;
    expect((await waitForEmail(admin, (m) => /verification code/i.test(m.subject) && new Date(m.receivedAt) >= started)).text).toContain(wording);
    // Ten minutes pass.
    await sql`update step_up_challenges set expires_at = now() - interval '1 second' where user_id = ${tenant.admin.id} and consumed_at is null`;

    await dialog.getByRole("textbox", { name: "Verification code" }).fill(firstCode);
    await dialog.getByRole("button", { name: "Verify" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("This code has expired. Send a new code.");

    const resent = new Date();
    await dialog.getByRole("button", { name: "Send a new code" }).click();
    await expect(dialog.getByText(/We sent a new code/)).toBeVisible();
    const secondCode = await stepUpCode(admin, resent);
    expect(secondCode).not.toBe(firstCode);
    // The new code's email names the same action and member as the first.
    expect((await waitForEmail(admin, (m) => /verification code/i.test(m.subject) && new Date(m.receivedAt) >= resent)).text).toContain(wording);
    await dialog.getByRole("textbox", { name: "Verification code" }).fill(secondCode);
    await dialog.getByRole("button", { name: "Verify" }).click();
    await expect(dialog).toBeHidden();
    await expect(row.getByText("Active", { exact: true })).toBeVisible();
  });

  test("on a phone-sized screen the console fits: a card per member shows status, 2FA and an actions menu that disables", async ({ page, sql, tenant }) => {
    const email = addressAt(tenant, "phoebe");
    await createMember(sql, { accountOf: tenant.admin.email, email, name: "Phoebe Phone" });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/users?q=${encodeURIComponent(email)}`);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "User Management" })).toBeInViewport();
    await expect(page.getByRole("heading", { name: "Members" })).toBeVisible();

    // Everything about the member is on screen without scrolling sideways: their row of the
    // team table, shown as a card.
    const card = page.getByRole("table", { name: "Team members" }).getByRole("row").filter({ hasText: email });
    const actions = card.getByRole("button", { name: "Actions for Phoebe Phone" });
    for (const part of [card.getByText("Active", { exact: true }), card.getByText("2FA"), card.getByText("Off", { exact: true }), actions]) {
      await expect(part).toBeVisible();
      await expectWithinWidth(part, 390);
    }
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
    const toggle = await page.getByRole("switch", { name: "Enforce 2FA" }).boundingBox();
    expect(toggle?.width).toBeGreaterThanOrEqual(40);

    // The menu works from the keyboard: Enter opens it on its first item, Escape closes it, focus comes back.
    await actions.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "Actions for Phoebe Phone" });
    await expect(menu.getByRole("menuitem", { name: "Reset password for Phoebe Phone" })).toBeFocused();
    await expect(menu.getByRole("menuitem", { name: "Disable Phoebe Phone" })).toBeVisible();
    await expectWithinWidth(menu, 390);
    await page.keyboard.press("Escape");
    await expect(menu).toBeHidden();
    await expect(actions).toBeFocused();

    // Disable, through "Verify it's you"; focus ends on the member's Actions button again.
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowDown");
    await expect(menu.getByRole("menuitem", { name: "Disable Phoebe Phone" })).toBeFocused();
    const started = new Date();
    await page.keyboard.press("Enter");
    await verifyItsYou(page, tenant.admin.email, started);
    await expect(page.getByRole("status", { name: "Team table messages" })).toHaveText("Phoebe Phone was disabled. Their content stays available to the team.");
    await expect(card.getByText("Disabled", { exact: true })).toBeVisible();
    await expect(actions).toBeFocused();
    const [user] = await sql`select status from users where email = ${email}`;
    expect(user.status).toBe("disabled");
  });

  test("a status chosen while the search is still on its way is kept, on a slow connection too", async ({ page, tenant }) => {
    // Every view of the table takes a second to arrive.
    await page.route(
      (url) => url.pathname === "/users",
      async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await route.continue();
      },
    );
    await page.getByLabel("Search").fill("sam");
    await page.getByLabel("Status").selectOption({ label: "Active" });
    await expect(page).toHaveURL(/\?(?=.*\bq=sam\b)(?=.*\bstatus=active\b)/);
    await expect(memberRow(page, tenant.member.email)).toBeVisible();
    await expect(page.getByLabel("Status")).toHaveValue("active");
  });

  test("a search typed while a status change is still loading keeps both in the URL", async ({ page, tenant }) => {
    // A slow server: the status change is still on its way when the search is sent.
    await page.route(/\/users\?/, async (route) => {
      if (route.request().headers()["rsc"]) await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    });
    await page.getByLabel("Status").selectOption({ label: "Active" });
    await page.getByLabel("Search").fill("sam");
    await expect(page).toHaveURL(/q=sam/);
    await expect(page).toHaveURL(/status=active/);
    await expect(page.getByLabel("Status")).toHaveValue("active");
    await expect(memberRow(page, tenant.member.email)).toBeVisible();
  });

  test("search, status filter and Refresh work on the server and stay in the URL", async ({ page, sql, tenant }) => {
    await page.getByLabel("Search").fill("SAM");
    await expect(page).toHaveURL(/q=SAM/);
    await expect(memberRow(page, tenant.member.email)).toBeVisible();
    await expect(memberRow(page, tenant.admin.email)).toHaveCount(0);

    // A reload (or a shared link) shows the same view.
    await page.reload();
    await expect(page.getByLabel("Search")).toHaveValue("SAM");
    await expect(memberRow(page, tenant.member.email)).toBeVisible();
    await expect(memberRow(page, tenant.admin.email)).toHaveCount(0);

    await page.getByLabel("Search").fill("");
    await page.getByLabel("Status").selectOption({ label: "Invited" });
    await expect(page).toHaveURL(/status=invited/);
    await expect(memberRow(page, tenant.invited.email)).toBeVisible();
    await expect(memberRow(page, tenant.admin.email)).toHaveCount(0);

    // Someone else invites a person; Refresh shows them without a reload.
    const refreshed = addressAt(tenant, "refreshed");
    await sql`insert into users (account_id, email, name, status) values (${tenant.accountId}, ${refreshed}, 'Reed Refresh', 'invited')`;
    await expect(memberRow(page, refreshed)).toHaveCount(0);
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(memberRow(page, refreshed)).toBeVisible();

    // Other accounts never show.
    await page.getByLabel("Status").selectOption({ label: "All" });
    await page.getByLabel("Search").fill("globex");
    await expect(page).toHaveURL(/q=globex/);
    await expect(page.getByRole("cell", { name: "No members match." })).toBeVisible();
  });

  test("sort and paging run on the server and stay in the URL; never-active members stay last both ways", async ({ page, sql, tenant }) => {
    // 30 more members, named to sort after everyone else, active a minute apart: two pages.
    await sql`insert into users (account_id, email, name, status, last_active_at)
              select ${tenant.accountId}, 'pager' || g || ${addressAt(tenant, "")}, 'Zz Pager ' || lpad(g::text, 2, '0'), 'active', now() - g * interval '1 minute'
              from generate_series(1, 30) as g`;
    await page.reload();
    const pagination = page.getByRole("navigation", { name: "Pagination" });
    await expect(pagination).toContainText("Page 1 of 2");
    await pagination.getByRole("button", { name: "Next page" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(pagination).toContainText("Page 2 of 2");
    await expect(memberRow(page, "Zz Pager 30")).toBeVisible();
    await expect(memberRow(page, tenant.admin.email)).toHaveCount(0);

    // The same page, name descending: the other end of the list.
    await page.getByRole("button", { name: /^Name/ }).click();
    await expect(page).toHaveURL(/dir=desc/);
    await expect(page.getByRole("columnheader", { name: /^Name/ })).toHaveAttribute("aria-sort", "descending");
    await expect(memberRow(page, tenant.admin.email)).toBeVisible();
    await expect(memberRow(page, "Zz Pager 30")).toHaveCount(0);
    await page.reload();
    await expect(pagination).toContainText("Page 2 of 2");
    await expect(memberRow(page, tenant.admin.email)).toBeVisible();

    const lastActive = page.getByRole("button", { name: /^Last active/ });
    for (const direction of ["ascending", "descending"]) {
      await lastActive.click();
      await expect(page.getByRole("columnheader", { name: /^Last active/ })).toHaveAttribute("aria-sort", direction);
      await expect(pagination).toContainText("Page 2 of 2");
      await expect(page.getByRole("row").last()).toContainText("Never");
    }
  });
});
