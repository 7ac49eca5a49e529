import type { Page } from "@playwright/test";
import { OIDC_CLIENT } from "./mock-servers/oidc";
import { configureIdentityProvider, expect, memberRow, publishTxtRecord, signInWithSso, test, verifyItsYou } from "./fixtures";

// B5: connections in the console — the identity provider with a test sign-in against a
// real OpenID Provider (e2e/mock-servers/oidc.ts), and a domain verified on a real DNS
// server (e2e/mock-servers/dns.ts) that then lets a person join through SSO.
const issuer = `http://127.0.0.1:${process.env.E2E_OIDC_PORT ?? 4020}`;
// The mock IdP knows this slug's callback (playwright.config.ts): one account at a time uses it.
const SLUG = "connections-e2e";

test.describe.configure({ mode: "default" });
test.beforeEach(async ({ sql }) => {
  await sql`delete from identity_providers where slug = ${SLUG}`;
});

/** Runs "Test sign-in" and, when the IdP shows its login, signs in there as `login`. */
async function testSignIn(page: Page, login?: string) {
  const popupOpened = page.waitForEvent("popup");
  await page.getByRole("button", { name: "Test sign-in" }).click();
  const popup = await popupOpened;
  if (login) {
    await popup.getByPlaceholder("Enter any login").fill(login);
    await popup.getByPlaceholder("and password").fill("idp-password");
    await popup.getByRole("button", { name: "Sign-in" }).click();
  }
  return page.getByRole("region", { name: "Test sign-in result" });
}

test("connecting the identity provider: a test sign-in fails (wrong issuer, wrong secret, wrong domain), then passes, then it is saved after step-up", async ({ page, sql, tenant, signInAs }) => {
  const domain = tenant.admin.email.split("@")[1];
  await signInAs(page, tenant.admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Identity provider" }).click();
  await expect(page.getByRole("heading", { name: "Identity provider", level: 1 })).toBeVisible();

  // The Microsoft preset leaves the tenant ID to fill in; saving it as it is says so.
  await page.getByRole("button", { name: "Microsoft Entra ID" }).click();
  await expect(page.getByLabel("Issuer URL")).toHaveValue("https://login.microsoftonline.com/{tenant-id}/v2.0");

  // Wrong issuer: discovery fails, and the popup says why without reaching any IdP.
  await page.getByLabel("Issuer URL").fill(`${issuer}/not-an-issuer`);
  await page.getByLabel("Client ID").fill(OIDC_CLIENT.id);
  await page.getByLabel("Client secret").fill("not-the-secret");
  await page.getByLabel("Email domains").fill("elsewhere.test");
  await page.getByLabel("Sign-in name").fill(SLUG);
  let result = await testSignIn(page);
  await expect(result).toContainText(/Test failed: Discovery failed: .*HTTP 404/);

  // The right issuer, a wrong client secret: the IdP rejects the client at the code exchange.
  await page.getByLabel("Issuer URL").fill(issuer);
  result = await testSignIn(page, tenant.admin.email);
  await expect(result).toHaveText(/Test failed: Client rejected: the identity provider did not accept the client ID and secret \(invalid_client\)/);

  // The right secret, but the person who signed in is not of an allowed domain.
  await page.getByLabel("Client secret").fill(OIDC_CLIENT.secret);
  result = await testSignIn(page, tenant.admin.email);
  await expect(result).toHaveText(new RegExp(`Test failed: Email domain not allowed: ${tenant.admin.email} signed in, but ${domain.replace(".", "\\.")} is not one`));

  await page.getByLabel("Email domains").fill(domain);
  result = await testSignIn(page, tenant.admin.email);
  await expect(result).toHaveText(`Test passed: Signed in as ${tenant.admin.email}. The connection works.`);
  // Testing saved nothing.
  expect(await sql`select 1 from identity_providers where account_id = ${tenant.accountId}`).toHaveLength(0);

  const since = new Date();
  await page.getByRole("button", { name: "Save identity provider" }).click();
  await verifyItsYou(page, tenant.admin.email, since);
  await expect(page.getByRole("form", { name: "Identity provider" }).getByRole("status")).toHaveText("The identity provider was saved.");
  await expect(page.getByLabel("Client secret")).toHaveValue("");
  await expect(page.getByText(/A secret is set\. It is stored encrypted and never shown again/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Email domains" })).toContainText("Not verified: grants nothing yet");
  const [saved] = await sql`select issuer, client_id, client_secret_encrypted, email_domains from identity_providers where account_id = ${tenant.accountId}`;
  expect(saved).toMatchObject({ issuer, client_id: OIDC_CLIENT.id, email_domains: [domain] });
  expect(saved.client_secret_encrypted).not.toContain(OIDC_CLIENT.secret);
  const [event] = await sql`select actor_id, details from audit_events where account_id = ${tenant.accountId} and action = 'identity_provider.saved'`;
  expect(event.actor_id).toBe(tenant.admin.id);
  expect(JSON.stringify(event.details)).not.toContain(OIDC_CLIENT.secret);
});

test("verifying a domain on the DNS server lets a person of that domain join through SSO with the default role; before, it grants nothing", async ({ page, sql, tenant, signInAs, newPage }) => {
  const domain = `join-${Date.now().toString(36)}.test`;
  const person = `nia@${domain}`;
  await configureIdentityProvider(sql, { accountOf: tenant.admin.email, slug: SLUG, domains: [domain], verified: false });

  // Unverified: the domain sends nobody to the IdP.
  const visitor = await newPage();
  await visitor.goto("/sign-in");
  await visitor.getByRole("button", { name: "Continue with SSO" }).click();
  await visitor.getByLabel("Work email").fill(person);
  await visitor.getByRole("button", { name: "Continue with SSO" }).click();
  await expect(visitor.getByRole("main").getByRole("alert")).toHaveText("Single sign-on is not set up for that email address.");

  await signInAs(page, tenant.admin);
  await page.goto("/settings/domains");
  await page.getByRole("form", { name: "Add a domain" }).getByLabel("Domain").fill(domain);
  await page.getByRole("button", { name: "Add domain" }).click();
  const card = page.getByRole("region", { name: domain });
  await expect(card).toContainText("Not verified");
  const value = (await card.getByText(/^roster-verification=/).textContent())!;

  // Not published yet: the precise reason.
  await card.getByRole("button", { name: `Verify ${domain}` }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(`${domain} is not verified: no TXT record was found at _roster-verification.${domain}.`);

  await publishTxtRecord(`_roster-verification.${domain}`, value);
  await card.getByRole("button", { name: `Verify ${domain}` }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText(`${domain} is verified.`);
  await expect(card.getByText("Verified", { exact: true })).toBeVisible();

  // People of the domain join by themselves, as Viewers.
  await card.getByLabel(`People of ${domain} signing in through the identity provider`).selectOption("auto");
  await card.getByLabel("Default role").selectOption("viewer");
  const since = new Date();
  await card.getByRole("button", { name: `Save who joins from ${domain}` }).click();
  await verifyItsYou(page, tenant.admin.email, since);
  await expect(page.getByRole("main").getByRole("status")).toHaveText(`Saved who joins from ${domain}.`);

  await signInWithSso(visitor, person);
  await expect(visitor.getByRole("heading", { name: "Personal Account" })).toBeVisible();
  const [joined] = await sql`select u.account_id, u.status, array_agg(g.role_key) as roles from users u join role_grants g on g.user_id = u.id where u.email = ${person} group by u.id`;
  expect(joined).toMatchObject({ account_id: tenant.accountId, status: "active", roles: ["viewer"] });
  const events = await sql`select action from audit_events where account_id = ${tenant.accountId} and action in ('domain.added', 'domain.verified', 'domain.policy_changed', 'sso.member_created') order by created_at, id`;
  expect(events.map((e) => e.action)).toEqual(["domain.added", "domain.verified", "domain.policy_changed", "sso.member_created"]);
});

test("a person of a domain that joins by approval waits in User Management until an administrator approves them", async ({ page, sql, tenant, signInAs, newPage }) => {
  const domain = `wait-${Date.now().toString(36)}.test`;
  const person = `otto@${domain}`;
  await configureIdentityProvider(sql, { accountOf: tenant.admin.email, slug: SLUG, domains: [domain] });
  await sql`update verified_domains set join_mode = 'approval' where account_id = ${tenant.accountId} and domain = ${domain}`;

  const visitor = await newPage();
  await signInWithSso(visitor, person);
  await expect(visitor.getByRole("main").getByRole("alert")).toHaveText("Your request to join has been sent to your administrator. You can sign in once they approve it.");

  await signInAs(page, tenant.admin);
  await page.goto("/users");
  const waiting = page.getByRole("region", { name: "Waiting for approval" });
  await waiting.getByRole("button", { name: `Approve ${person}` }).click();
  // Nobody waits any more; they are in the team table.
  await expect(waiting).toHaveCount(0);
  await expect(memberRow(page, person)).toBeVisible();

  await signInWithSso(visitor, person);
  await expect(visitor.getByRole("heading", { name: "Personal Account" })).toBeVisible();
});

test("in an SSO-only account, where User Management is the identity provider's, a waiting person is approved on Verified domains", async ({ page, sql, tenant, signInAs, newPage }) => {
  const domain = `only-${Date.now().toString(36)}.test`;
  const person = `uma@${domain}`;
  // The admin's session opens before the account turns SSO-only (its password is refused after).
  await signInAs(page, tenant.admin);
  await configureIdentityProvider(sql, { accountOf: tenant.admin.email, slug: SLUG, domains: [domain], ssoOnly: true });
  await sql`update verified_domains set join_mode = 'approval' where account_id = ${tenant.accountId} and domain = ${domain}`;

  const visitor = await newPage();
  await signInWithSso(visitor, person);
  await expect(visitor.getByRole("main").getByRole("alert")).toHaveText("Your request to join has been sent to your administrator. You can sign in once they approve it.");

  expect((await page.goto("/users"))?.status()).toBe(404);
  await page.goto("/settings/domains");
  const waiting = page.getByRole("region", { name: "Waiting for approval" });
  await expect(waiting.getByRole("row").filter({ hasText: person })).toBeVisible();
  await waiting.getByRole("button", { name: `Approve ${person}` }).click();
  await expect(waiting).toHaveCount(0);
  const [joined] = await sql`select status from users where email = ${person}`;
  expect(joined.status).toBe("active");

  await signInWithSso(visitor, person);
  await expect(visitor.getByRole("heading", { name: "Personal Account" })).toBeVisible();
});
