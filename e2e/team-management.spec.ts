import type { Locator } from "@playwright/test";
import { createMember, DEMO, expect, memberRow, signIn, stepUpCode, test, verifyItsYou, waitForEmail } from "./fixtures";

const admin = DEMO.primary.email;

/** Fails unless the element lies within the page's first `width` pixels: seen without scrolling sideways. */
async function expectWithinWidth(locator: Locator, width: number) {
  const box = await locator.boundingBox();
  expect(box, `${locator} is on the page`).not.toBeNull();
  expect(box!.x, `${locator} starts on screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${locator} ends on screen`).toBeLessThanOrEqual(width);
}

test.describe("team management", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "User Management" }).click();
    await expect(page.getByRole("heading", { name: "User Management" })).toBeVisible();
  });

  test("invite → verify it's you → email → accept → the new member signs in and shows Active", async ({ page, browser }) => {
    const email = `new.person.${Date.now()}@example.test`;
    const started = new Date();
    await page.getByRole("button", { name: "Add User" }).click();
    const addDialog = page.getByRole("dialog", { name: "Add user" });
    await addDialog.getByLabel("Email").fill(email);
    await addDialog.getByLabel("Name (optional)").fill("Nova Newcomer");
    await addDialog.getByRole("button", { name: "Send invitation" }).click();

    await verifyItsYou(page, admin, started);
    await expect(page.getByRole("status", { name: "Team table messages" })).toHaveText(`Invitation sent to ${email}.`);
    await expect(memberRow(page, email).getByText("Invited")).toBeVisible();

    // The invitee reads their inbox and follows the link in a browser of their own.
    const invitation = await waitForEmail(email, (m) => /invited you/.test(m.subject));
    const link = invitation.text?.match(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]+/)?.[0];
    expect(link).toBeTruthy();
    const invitee = await browser.newContext();
    const inviteePage = await invitee.newPage();
    await inviteePage.goto(link!);
    await expect(inviteePage.getByRole("heading", { name: "Join Acme" })).toBeVisible();
    await inviteePage.getByLabel("Your name").fill("Nova Newcomer");
    await inviteePage.getByLabel("Password", { exact: true }).fill("weak");
    await expect(inviteePage.getByRole("list", { name: "Password rules" }).getByText("A digit (not met yet)")).toBeAttached();
    await inviteePage.getByLabel("Password", { exact: true }).fill("Tidal-Orbit-4821");
    await inviteePage.getByLabel("Confirm password").fill("Tidal-Orbit-4821");
    await inviteePage.getByRole("button", { name: "Accept invitation" }).click();
    await expect(inviteePage.getByRole("heading", { name: "Personal Account" })).toBeVisible();
    await expect(inviteePage.getByText("Signed in as Nova Newcomer")).toBeVisible();

    // The link works once.
    const again = await (await browser.newContext()).newPage();
    await again.goto(link!);
    await expect(again.getByRole("heading", { name: "Invitation already accepted" })).toBeVisible();

    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(memberRow(page, email).getByText("Active")).toBeVisible();
    await invitee.close();

    // The admin sees the invitation's delivery, not its contents.
    await page.getByRole("link", { name: "Email delivery" }).click();
    const delivered = page.getByRole("row").filter({ hasText: email });
    await expect(delivered.getByText("Sent", { exact: true })).toBeVisible();
    await expect(delivered).toContainText("invited you to Acme");
    await expect(page.getByRole("main")).not.toContainText(link!);
  });

  test("disable sends the member's open browser to sign-in on its next click; enable restores access and content", async ({ page, browser, sql }) => {
    const member = await browser.newContext();
    const memberPage = await member.newPage();
    await signIn(memberPage, DEMO.secondary.email);

    const row = memberRow(page, DEMO.secondary.email);
    await expect(row.getByText("2 items")).toBeVisible();
    const started = new Date();
    await row.getByRole("button", { name: "Disable" }).click();
    await verifyItsYou(page, admin, started);
    await expect(page.getByRole("status", { name: "Team table messages" })).toContainText("Sam Secondary was disabled");
    await expect(row.getByText("Disabled")).toBeVisible();
    await expect(row.getByText("2 items, still available to the team")).toBeVisible();

    // Their next click, in the browser they already had open, lands on sign-in.
    await memberPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Personal Account" }).click();
    await expect(memberPage.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await memberPage.getByLabel("Email").fill(DEMO.secondary.email);
    await memberPage.getByLabel("Password").fill("Demo-Password-2026!");
    await memberPage.getByRole("button", { name: "Sign in" }).click();
    await expect(memberPage.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");

    const restarted = new Date();
    await row.getByRole("button", { name: "Enable" }).click();
    await verifyItsYou(page, admin, restarted);
    await expect(row.getByText("Active")).toBeVisible();

    await signIn(memberPage, DEMO.secondary.email);
    const [{ n }] = await sql`select count(*)::int as n from content_items c join users u on u.id = c.owner_id where u.email = ${DEMO.secondary.email}`;
    expect(n).toBe(2);
    await expect(row.getByText("2 items")).toBeVisible();
    await member.close();
  });

  test("Cancel in the dialog changes nothing; the dialog works from the keyboard and says what it confirms", async ({ page, sql }) => {
    const row = memberRow(page, DEMO.secondary.email);
    const disable = row.getByRole("button", { name: "Disable" });
    await disable.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Verify it's you" });
    await expect(dialog).toBeVisible();
    const [{ name }] = await sql`select name from users where email = ${DEMO.secondary.email}`;
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
    await expect(row.getByText("Active")).toBeVisible();
    const [user] = await sql`select status from users where email = ${DEMO.secondary.email}`;
    expect(user.status).toBe("active");
  });

  test("an expired code is replaced with Send a new code, without redoing the action", async ({ page, sql }) => {
    const row = memberRow(page, DEMO.disabled.email);
    const started = new Date();
    await row.getByRole("button", { name: "Enable" }).click();
    const dialog = page.getByRole("dialog", { name: "Verify it's you" });
    const firstCode = await stepUpCode(admin, started);
    // Ten minutes pass.
    await sql`update step_up_challenges set expires_at = now() - interval '1 second' where consumed_at is null`;

    await dialog.getByRole("textbox", { name: "Verification code" }).fill(firstCode);
    await dialog.getByRole("button", { name: "Verify" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("This code has expired. Send a new code.");

    const resent = new Date();
    await dialog.getByRole("button", { name: "Send a new code" }).click();
    await expect(dialog.getByText(/We sent a new code/)).toBeVisible();
    const secondCode = await stepUpCode(admin, resent);
    expect(secondCode).not.toBe(firstCode);
    await dialog.getByRole("textbox", { name: "Verification code" }).fill(secondCode);
    await dialog.getByRole("button", { name: "Verify" }).click();
    await expect(dialog).toBeHidden();
    await expect(row.getByText("Active")).toBeVisible();
  });

  test("on a phone-sized screen the console fits: a card per member shows status, 2FA and an actions menu that disables", async ({ page, sql }) => {
    const email = `phoebe.${Date.now()}@acme.test`;
    await createMember(sql, { accountOf: admin, email, name: "Phoebe Phone" });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/users?q=${encodeURIComponent(email)}`);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "User Management" })).toBeInViewport();
    await expect(page.getByRole("heading", { name: "Members" })).toBeVisible();

    // Everything about the member is on screen without scrolling sideways.
    const card = page.getByRole("list", { name: "Team members" }).getByRole("listitem").filter({ hasText: email });
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
    await verifyItsYou(page, admin, started);
    await expect(page.getByRole("status", { name: "Team table messages" })).toHaveText("Phoebe Phone was disabled. Their content stays available to the team.");
    await expect(card.getByText("Disabled", { exact: true })).toBeVisible();
    await expect(actions).toBeFocused();
    const [user] = await sql`select status from users where email = ${email}`;
    expect(user.status).toBe("disabled");
  });

  test("a status chosen while the search is still on its way is kept, on a slow connection too", async ({ page }) => {
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
    await expect(memberRow(page, DEMO.secondary.email)).toBeVisible();
    await expect(page.getByLabel("Status")).toHaveValue("active");
  });

  test("search, status filter and Refresh work on the server and stay in the URL", async ({ page, sql }) => {
    await page.getByLabel("Search").fill("SAM");
    await expect(page).toHaveURL(/q=SAM/);
    await expect(memberRow(page, DEMO.secondary.email)).toBeVisible();
    await expect(memberRow(page, DEMO.primary.email)).toHaveCount(0);

    // A reload (or a shared link) shows the same view.
    await page.reload();
    await expect(page.getByLabel("Search")).toHaveValue("SAM");
    await expect(memberRow(page, DEMO.secondary.email)).toBeVisible();
    await expect(memberRow(page, DEMO.primary.email)).toHaveCount(0);

    await page.getByLabel("Search").fill("");
    await page.getByLabel("Status").selectOption({ label: "Invited" });
    await expect(page).toHaveURL(/status=invited/);
    await expect(memberRow(page, DEMO.invited.email)).toBeVisible();
    await expect(memberRow(page, DEMO.primary.email)).toHaveCount(0);

    // Someone else invites a person; Refresh shows them without a reload.
    const [acme] = await sql`select account_id from users where email = ${admin}`;
    await sql`insert into users (account_id, email, name, status) values (${acme.account_id}, 'refreshed@example.test', 'Reed Refresh', 'invited')`;
    await expect(memberRow(page, "refreshed@example.test")).toHaveCount(0);
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(memberRow(page, "refreshed@example.test")).toBeVisible();

    // Other accounts never show.
    await page.getByLabel("Status").selectOption({ label: "All" });
    await page.getByLabel("Search").fill("globex");
    await expect(page).toHaveURL(/q=globex/);
    await expect(page.getByRole("cell", { name: "No members match." })).toBeVisible();
  });
});
