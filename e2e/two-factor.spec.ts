import {
  callServerAction,
  createMember,
  DEMO_PASSWORD,
  enrolTotp,
  enterPassword,
  expect,
  memberRow,
  test,
  totpCode,
  verifyItsYou,
  waitForEmail,
  signOut,
} from "./fixtures";

test("enrol with the key from the page, then sign in with password + code; a backup code works once", async ({ page, sql, tenant, signInAs }) => {
  const { email } = tenant.member;
  await signInAs(page, tenant.member);
  const { secret, backupCodes } = await enrolTotp(page);
  // Once 2FA is on, the page no longer says it is off.
  await expect(page.getByText(/Status:\s*Off/)).toHaveCount(0);
  const [stored] = await sql`select totp_secret_encrypted from users where email = ${email}`;
  expect(stored.totp_secret_encrypted).not.toContain(secret);
  await page.getByRole("link", { name: "Done" }).click();
  await signOut(page);

  // Password alone opens no session: the half-signed-in state reaches no page.
  await enterPassword(page, email);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in$/);

  await enterPassword(page, email);
  // The enrolment code's time step is spent; the app's next code (within the ±1 step window) is accepted.
  const code = await totpCode(secret, 30);
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
  await signOut(page);

  // The same code again is refused (replay).
  await enterPassword(page, email);
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("That code is not right, or it was already used.");

  // A backup code signs in once…
  await page.getByLabel("Authentication code").fill(backupCodes[0]);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
  await signOut(page);
  // …and never again.
  await enterPassword(page, email);
  await page.getByLabel("Authentication code").fill(backupCodes[0]);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("That code is not right, or it was already used.");
});

test("changing one's 2FA needs the password: set up (a notice is emailed), and turn off with password and code", async ({ page, sql, tenant, signInAs }) => {
  const { email } = tenant.member;
  await signInAs(page, tenant.member);
  const main = page.getByRole("main");

  // No QR code without the right password.
  await page.goto("/account/two-factor");
  await page.getByRole("button", { name: "Set up 2FA" }).click();
  await expect(page.getByText("Enter your password.", { exact: true })).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill("Not-The-Password-1");
  await page.getByRole("button", { name: "Set up 2FA" }).click();
  await expect(main.getByRole("alert")).toHaveText("That is not your current password.");
  await expect(page.getByRole("img", { name: /QR code/ })).toHaveCount(0);

  const since = new Date();
  const { secret } = await enrolTotp(page);
  await waitForEmail(email, (m) => m.subject === "Two-factor authentication was turned on for your Roster account" && new Date(m.receivedAt) >= since);
  await page.getByRole("link", { name: "Done" }).click();

  // Turning it off: a right code alone, or with a wrong password, changes nothing.
  const code = await totpCode(secret, 30);
  await page.getByLabel("Current code or a backup code").fill(code);
  await page.getByRole("button", { name: "Turn off 2FA" }).click();
  await expect(page.getByText("Enter your password.", { exact: true })).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill("Not-The-Password-1");
  await page.getByRole("button", { name: "Turn off 2FA" }).click();
  await expect(main.getByRole("alert")).toHaveText("That is not your current password.");
  await expect(page.getByText(/Status:\s*On/)).toBeVisible();

  const offSince = new Date();
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Turn off 2FA" }).click();
  await expect(page.getByText(/Status:\s*Off/)).toBeVisible();
  await waitForEmail(email, (m) => /Two-factor authentication was turned off/.test(m.subject) && new Date(m.receivedAt) >= offSince);
  const [row] = await sql`select totp_enabled_at from users where email = ${email}`;
  expect(row.totp_enabled_at).toBeNull();
});

test("a management action called directly in the half-signed-in state is refused; the same call with a full session reaches step-up", async ({ page, sql, tenant, signInAs }) => {
  const adminEmail = tenant.admin.email;
  await signInAs(page, tenant.admin);
  const { secret } = await enrolTotp(page);
  await page.getByRole("link", { name: "Done" }).click();
  await signOut(page);
  const sam = tenant.member;
  const disableSam = { file: "app/(console)/users/actions.ts", name: "disableMember", path: "/users", args: [{ userId: sam.id }] };

  // Password right, second factor pending: a crafted call to the action gets sign-in, and nothing changes.
  await enterPassword(page, adminEmail);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  const refused = await callServerAction(page, disableSam);
  expect(refused.redirect).toMatch(/\/sign-in/);
  expect(refused.body).not.toContain("challengeId");

  // With the second factor done, the very same request reaches the action (which asks for step-up).
  await page.getByLabel("Authentication code").fill(await totpCode(secret, 30));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
  const reached = await callServerAction(page, disableSam);
  expect(reached.redirect).toBeNull();
  expect(reached.body).toContain("challengeId");
  // A crafted proof of the wrong shape reads as an invalid code, never as a server error.
  for (const proof of [{ challengeId: "not-a-uuid", code: "123456" }, { challengeId: crypto.randomUUID(), code: { code: "123456" } }]) {
    const crafted = await callServerAction(page, { ...disableSam, args: [{ userId: sam.id }, proof] });
    expect(crafted.body).toContain("This verification is not valid. Start the action again.");
    expect(crafted.body).not.toContain("Something went wrong");
  }
  const [after] = await sql`select status from users where id = ${sam.id}`;
  expect(after.status).toBe("active");
});

test("enforcement: grace banner, then Setup 2FA Required everywhere until set up; an admin removes a member's 2FA", async ({ page, sql, tenant, signInAs, newPage }) => {
  // The longest journey (three browsers, three step-ups, two enrolments): near the default timeout on a busy machine.
  test.slow();
  const admin = tenant.admin.email;
  const member = tenant.member.email;
  const early = `early@${admin.split("@")[1]}`;
  await createMember(sql, { accountOf: admin, email: early, name: "Early Bird" });

  // The admin uses 2FA first (enforcing it without is refused), then opens User Management.
  await signInAs(page, tenant.admin);
  await enrolTotp(page);
  await page.goto("/users");

  // A member who is already signed in when enforcement starts.
  const earlyPage = await newPage();
  await signInAs(earlyPage, { email: early });

  // Enforce with a 7-day grace period: a banner, and work goes on.
  const card = page.getByRole("region", { name: "Two-Factor Authentication" });
  await card.getByRole("switch", { name: "Enforce 2FA" }).click();
  await card.getByLabel("Grace period (days)").fill("7");
  let since = new Date();
  await card.getByRole("button", { name: "Save 2FA policy" }).click();
  await verifyItsYou(page, admin, since);
  await expect(card.getByRole("status")).toHaveText("2FA enforcement is on.");
  await expect(memberRow(page, early).getByText("Pending")).toBeVisible();

  await earlyPage.reload();
  await expect(earlyPage.getByRole("region", { name: "Two-factor authentication required" })).toContainText("Set it up by");
  await expect(earlyPage.getByRole("heading", { name: "Personal Account" })).toBeVisible();

  // No grace: the signed-in member meets Setup 2FA Required on their next request.
  await card.getByLabel("Grace period (days)").fill("0");
  since = new Date();
  await card.getByRole("button", { name: "Save 2FA policy" }).click();
  await verifyItsYou(page, admin, since);
  await expect(memberRow(page, early).getByText("Required")).toBeVisible();
  await earlyPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Personal Account" }).click();
  await expect(earlyPage.getByRole("heading", { name: "Setup 2FA Required" })).toBeVisible();
  await earlyPage.close();

  // A member signing in now lands there and can open nothing else, even by URL.
  const memberPage = await newPage();
  await enterPassword(memberPage, member);
  await expect(memberPage.getByRole("heading", { name: "Setup 2FA Required" })).toBeVisible();
  for (const path of ["/account", "/account/two-factor", "/mailbox", "/users"]) {
    await memberPage.goto(path);
    await expect(memberPage.getByRole("heading", { name: "Setup 2FA Required" })).toBeVisible();
  }
  // Nor any API route with the browser's session (the team's avatars, say).
  expect((await memberPage.request.get(`/api/avatars/${tenant.admin.id}`)).status()).toBe(403);
  await memberPage.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await memberPage.getByRole("button", { name: "Set up 2FA" }).click();
  const secret = await memberPage.getByRole("textbox", { name: /Setup key/ }).inputValue();
  await memberPage.getByLabel("6-digit code from the app").fill(await totpCode(secret));
  await memberPage.getByRole("button", { name: "Confirm" }).click();
  await expect(memberPage.getByText("Two-factor authentication is on.")).toBeVisible();
  await memberPage.getByRole("link", { name: "Done" }).click();
  await expect(memberPage.getByRole("heading", { name: "Personal Account" })).toBeVisible();

  // The member lost their phone: the admin removes their 2FA (step-up), the member is told.
  await page.getByRole("button", { name: "Refresh" }).click();
  const row = memberRow(page, member);
  await expect(row.getByText("On", { exact: true })).toBeVisible();
  since = new Date();
  await row.getByRole("button", { name: "Remove 2FA" }).click();
  await verifyItsYou(page, admin, since);
  await expect(row.getByText("Required")).toBeVisible();
  const notice = await waitForEmail(member, (m) => /Two-factor authentication was turned off/.test(m.subject) && new Date(m.receivedAt) >= since);
  expect(notice.text).toContain("Every session of your account was signed out");

  // Their sessions ended with it: the browser they had open lands on sign-in at its next click.
  await memberPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Personal Account" }).click();
  await expect(memberPage.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
  // Enforcement still applies: their next sign-in meets Setup 2FA Required again.
  await enterPassword(memberPage, member);
  await expect(memberPage.getByRole("heading", { name: "Setup 2FA Required" })).toBeVisible();
});
