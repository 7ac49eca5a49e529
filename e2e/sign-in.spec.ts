import { DEMO_PASSWORD, expect, signIn, test, signOut } from "./fixtures";

test("a primary user signs in and sees User Management", async ({ page, tenant }) => {
  await signIn(page, tenant.admin.email);
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "User Management" }).click();
  await expect(page.getByRole("heading", { name: "User Management" })).toBeVisible();
  await expect(page).toHaveURL(/\/users$/);
});

test("sign-in follows ?next= only to paths of this site, never to another origin", async ({ page, baseURL, tenant }) => {
  // "/\evil.example" is "//evil.example" to a browser: an open redirect a prefix check misses.
  await page.goto(`/sign-in?next=${encodeURIComponent("/\\evil.example/phish")}`);
  await page.getByLabel("Email").fill(tenant.admin.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(`${baseURL}/account`);
  await signOut(page);

  await page.goto(`/sign-in?next=${encodeURIComponent("/users?status=disabled")}`);
  await page.getByLabel("Email").fill(tenant.admin.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(`${baseURL}/users?status=disabled`);
});

test("the server records the address the request came from, not a forged X-Forwarded-For", async ({ page, sql, tenant }) => {
  await page.setExtraHTTPHeaders({ "X-Forwarded-For": "203.0.113.66", "X-Real-IP": "203.0.113.67" });
  await signIn(page, tenant.member.email);
  const [session] = await sql`select s.ip from sessions s join users u on u.id = s.user_id where u.email = ${tenant.member.email} order by s.created_at desc limit 1`;
  expect(session.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
});

test("a wrong password gets the generic message and no session", async ({ page, sql, tenant }) => {
  const unknown = `nobody@${tenant.admin.email.split("@")[1]}`;
  const tenantSessions = async () =>
    (await sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.account_id = ${tenant.accountId}`)[0].n;
  const before = await tenantSessions();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(tenant.member.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  // The form clears the password after a refusal.
  await expect(page.getByLabel("Password")).toHaveValue("");

  // An unknown address and a disabled member get exactly the same answer.
  for (const email of [unknown, tenant.disabled.email]) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(email === tenant.disabled.email ? DEMO_PASSWORD : "whatever-it-is");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
    await expect(page.getByLabel("Password")).toHaveValue("");
  }

  expect(await tenantSessions()).toBe(before);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("after sign-out protected pages send you to sign-in", async ({ page, tenant }) => {
  await signIn(page, tenant.admin.email);
  await signOut(page);
  await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
  for (const path of ["/account", "/users", "/mailbox"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/sign-in/);
  }
});

test("a secondary user has no User Management, not even by URL", async ({ page, tenant }) => {
  await signIn(page, tenant.member.email);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Personal Account" })).toBeVisible();
  await expect(page.getByRole("link", { name: "User Management" })).toHaveCount(0);
  const response = await page.goto("/users");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("a session deleted in the database is refused on the next navigation", async ({ page, sql, tenant }) => {
  await signIn(page, tenant.member.email);
  const deleted = await sql`delete from sessions where user_id = ${tenant.member.id} returning id_hash`;
  expect(deleted.length).toBeGreaterThan(0);
  await page.reload();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
});

test("a session idle for longer than SESSION_IDLE_MINUTES ends at the next click, and the sign-in page says why", async ({ page, sql, tenant }) => {
  const { email, id, name } = tenant.member;
  const idleMessage = "You were signed out after 60 minutes without activity.";
  const sessionsLeft = async () => (await sql`select count(*)::int as n from sessions where user_id = ${id}`)[0].n;

  // A link (a client-side navigation, answered by the server components).
  await signIn(page, email);
  await sql`update sessions set last_seen_at = now() - interval '61 minutes' where user_id = ${id}`;
  await page.getByRole("link", { name: "Manage API keys" }).click();
  await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText(idleMessage);
  expect(await sessionsLeft()).toBe(0);

  // A server action (saving one's details): refused, nothing saved.
  await signIn(page, email);
  await sql`update sessions set last_seen_at = now() - interval '61 minutes' where user_id = ${id}`;
  const details = page.getByRole("region", { name: "Personal details" });
  await details.getByLabel("Name").fill("Sam Renamed");
  await details.getByRole("button", { name: "Save details" }).click();
  await expect(page.getByRole("status")).toHaveText(idleMessage);
  expect(await sessionsLeft()).toBe(0);
  expect((await sql`select name from users where id = ${id}`)[0].name).toBe(name);

  // Active within the limit, the session lives on.
  await signIn(page, email);
  await sql`update sessions set last_seen_at = now() - interval '59 minutes' where user_id = ${id}`;
  await page.getByRole("link", { name: "Manage API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
});

test.describe("bad input on the sign-in form", () => {
  test("malformed email, empty password and a 1 MB password get clear messages and store nothing", async ({ page, sql, tenant }) => {
    const tenantSessions = async () =>
      (await sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.account_id = ${tenant.accountId}`)[0].n;
    const before = await tenantSessions();
    await page.goto("/sign-in");

    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("something");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByText("Enter a valid email address.")).toBeVisible();
    // The form resets after each answer; type only once it has.
    await expect(page.getByLabel("Password")).toHaveValue("");

    await page.getByLabel("Email").fill(tenant.admin.email);
    await page.getByLabel("Password").fill("");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByText("Enter your password.")).toBeVisible();

    await page.getByLabel("Password").fill("x".repeat(1024 * 1024));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByText("Passwords are at most 256 characters.")).toBeVisible();

    expect(await tenantSessions()).toBe(before);
  });
});
