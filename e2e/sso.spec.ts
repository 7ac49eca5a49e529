import type postgres from "postgres";
import { WRONG_AUDIENCE_CLIENT_ID } from "./mock-servers/oidc";
import { configureIdentityProvider, DEMO, expect, memberRow, signInWithSso, test, signOut } from "./fixtures";

/** The reason of Globex's latest refused SSO sign-in, from its audit trail. */
async function lastSsoFailure(sql: postgres.Sql): Promise<string | undefined> {
  const [row] = await sql`select details->>'reason' as reason from audit_events where action = 'sso.failed' and target_id = 'globex' order by created_at desc, id desc limit 1`;
  return row?.reason;
}

test.describe("single sign-on through OpenID Connect", () => {
  // The mock IdP knows only the demo accounts' slugs (acme, globex), so these tests keep the
  // demo accounts and change their IdP settings: in order, in one worker.
  test.describe.configure({ mode: "default" });

  test.beforeAll(async ({ sqlWorker }) => {
    await configureIdentityProvider(sqlWorker, { accountOf: DEMO.primary.email, slug: "acme", domains: ["acme.test"] });
    // Globex's IdP is registered under another issuer name than the one the IdP reports.
    await configureIdentityProvider(sqlWorker, { accountOf: DEMO.otherPrimary.email, slug: "globex", domains: ["globex.test"], issuer: `http://localhost:${process.env.E2E_OIDC_PORT ?? 4020}` });
  });
  test.afterAll(async ({ sqlWorker }) => {
    // Other journeys use Acme with passwords.
    await sqlWorker`update identity_providers set sso_only = false where slug in ('acme', 'globex')`;
  });

  test("first sign-in creates the member with an SSO badge; the second matches them by subject; their identity is locked", async ({ page, sql, newPage, signInAs }) => {
    const email = `nina.${Date.now()}@acme.test`;
    await signInWithSso(page, email);
    await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
    const created = await sql`select id, status, sso_subject, password_hash, (select array_agg(role_key) from role_grants g where g.user_id = users.id) as roles from users where email = ${email}`;
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ roles: ["member"], status: "active", sso_subject: email, password_hash: null });

    // Identity fields are locked, with the reason.
    const details = page.getByRole("region", { name: "Personal details" });
    await expect(details.getByLabel("Name")).toBeDisabled();
    await expect(details.getByText(/come from your organisation's identity provider/)).toBeVisible();
    await expect(page.getByRole("region", { name: "Change password" })).toContainText("identity provider, which manages your password");

    // The admin sees the SSO badge, and no password reset for them.
    const admin = await newPage();
    await signInAs(admin, DEMO.primary);
    await admin.goto(`/users?q=${encodeURIComponent(email)}`);
    const row = memberRow(admin, email);
    await expect(row.getByText("SSO", { exact: true })).toBeVisible();
    await expect(row.getByRole("button", { name: /^Reset password/ })).toHaveCount(0);

    // The second sign-in is matched by the IdP's subject, even after the email changed here.
    await sql`update users set email = ${`renamed.${email}`} where id = ${created[0].id}`;
    await signOut(page);
    await signInWithSso(page, email);
    await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
    const after = await sql`select id from users where sso_subject = ${email}`;
    expect(after.map((r) => r.id)).toEqual([created[0].id]);
  });

  test("an SSO-only account hides User Management and refuses password sign-in", async ({ page, sql }) => {
    const email = `olga.${Date.now()}@acme.test`;
    await sql`update identity_providers set sso_only = true where slug = 'acme'`;
    await signInWithSso(page, email);
    await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
    await sql`update role_grants set role_key = 'admin' where user_id = (select id from users where email = ${email})`;
    await page.reload();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "User Management" })).toHaveCount(0);
    expect((await page.goto("/users"))?.status()).toBe(404);

    await page.goto("/account");
    await signOut(page);
    await page.getByLabel("Email", { exact: true }).fill(DEMO.primary.email);
    await page.getByLabel("Password").fill("Demo-Password-2026!");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Your organisation signs in with single sign-on. Use Continue with SSO.");
    await sql`update identity_providers set sso_only = false where slug = 'acme'`;
  });

  test("a provider answering as another issuer, an ID token for another audience, a forged callback state and an unknown domain are refused, creating nothing", async ({ page, sql }) => {
    // Other specs add people at the same time: count only who these attempts could create.
    const attempted = ["gus@globex.test", "someone@nowhere.test"];
    const [{ startedAt }] = await sql`select now() as "startedAt"`;
    const createdByAttempts = async () => {
      const [{ n }] = await sql`select count(*)::int as n from users where email in ${sql(attempted)} or (sso_subject is not null and created_at >= ${startedAt})`;
      return n as number;
    };
    expect(await createdByAttempts()).toBe(0);

    // Wrong issuer: discovery reports 127.0.0.1 while the account registered localhost.
    await page.goto("/sign-in");
    await page.getByRole("button", { name: "Continue with SSO" }).click();
    await page.getByLabel("Work email").fill("gus@globex.test");
    await page.getByRole("button", { name: "Continue with SSO" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(/Single sign-on did not complete/);
    // Refused for that reason, and recorded in Globex's audit trail.
    await expect.poll(() => lastSsoFailure(sql)).toMatch(/"issuer" property does not match/);

    // Wrong audience: the right issuer now, but the IdP signs the ID token for another client.
    await sql`update identity_providers set issuer = ${`http://127.0.0.1:${process.env.E2E_OIDC_PORT ?? 4020}`}, client_id = ${WRONG_AUDIENCE_CLIENT_ID} where slug = 'globex'`;
    await page.goto("/sign-in");
    await page.getByRole("button", { name: "Continue with SSO" }).click();
    await page.getByLabel("Work email").fill("gus@globex.test");
    await page.getByRole("button", { name: "Continue with SSO" }).click();
    // The IdP's own login screen: the sign-in went all the way to the provider and back.
    await page.getByPlaceholder("Enter any login").fill("gus@globex.test");
    await page.getByPlaceholder("and password").fill("idp-password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(/Single sign-on did not complete/);
    await expect.poll(() => lastSsoFailure(sql)).toMatch(/"aud" \(audience\)/);

    // A callback with a forged state.
    await page.goto("/api/auth/callback/sso-acme?code=forged-code&state=forged-state");
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(/Single sign-on did not complete/);

    // A domain no account has set up.
    await page.goto("/sign-in");
    await page.getByRole("button", { name: "Continue with SSO" }).click();
    await page.getByLabel("Work email").fill("someone@nowhere.test");
    await page.getByRole("button", { name: "Continue with SSO" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Single sign-on is not set up for that email address.");

    expect(await createdByAttempts()).toBe(0);
  });
});
