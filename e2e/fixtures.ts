import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { test as base, expect, type BrowserContext, type BrowserContextOptions, type Page } from "@playwright/test";
import { watchCsp } from "./support/csp";
import { signInOverHttp } from "./support/sign-in";
import { createTenant, type Tenant } from "./support/tenant";
import { generate } from "otplib";
import postgres from "postgres";
import { hashPassword } from "@/lib/auth/password";
import { encrypt } from "@/lib/crypto";
import { OIDC_CLIENT } from "./mock-servers/oidc";
import { DEMO, DEMO_PASSWORD } from "@/db/demo";
import type { RecordedEmail } from "./mock-servers/resend";

export { expect, DEMO, DEMO_PASSWORD };
export type { Tenant };

const mockResendUrl = `http://127.0.0.1:${process.env.E2E_RESEND_PORT ?? 4010}`;

/**
 * The database the app under test uses (the embedded one through its socket, or the
 * server), for checks a person cannot make in the browser: what was stored.
 *
 * Every spec's `page` runs under the console's Content-Security-Policy, watched: a
 * violation the browser reports on one of the console's pages fails the test once it ran.
 */
export const test = base.extend<
  {
    sql: postgres.Sql;
    /** A fresh account of this test's own (admin, member, disabled, invited people…): tests in parallel never share people. */
    tenant: Tenant;
    /** Signs `page` in as `person` over HTTP (no typing) and opens Personal Account. */
    signInAs: (page: Page, person: { email: string }, password?: string) => Promise<void>;
    /** Another browser (its own cookies; `options` such as another userAgent), watched for CSP violations like `page`, closed after the test. */
    newPage: (options?: BrowserContextOptions) => Promise<Page>;
  },
  { sqlWorker: postgres.Sql }
>({
  page: async ({ page, baseURL }, use) => {
    const violations = await watchCsp(page, new URL(baseURL!).origin);
    await use(page);
    expect(violations, "Content-Security-Policy violations in the console's pages").toEqual([]);
  },
  sqlWorker: [
    async ({}, use) => {
      const url = process.env.E2E_DATABASE_URL;
      if (!url) throw new Error("E2E_DATABASE_URL is not set: run the e2e suite through `npm test`");
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      await use(sql);
      await sql.end();
    },
    { scope: "worker" },
  ],
  sql: async ({ sqlWorker }, use) => use(sqlWorker),
  tenant: async ({ sql }, use) => use(await createTenant(sql)),
  signInAs: async ({ baseURL }, use) => {
    await use(async (page, person, password = DEMO_PASSWORD) => {
      const state = await signInOverHttp(baseURL!, person.email, password);
      await page.context().addCookies(state.cookies);
      await page.goto("/account");
      await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
    });
  },
  newPage: async ({ browser, baseURL }, use) => {
    const opened: { context: BrowserContext; violations: string[] }[] = [];
    await use(async (options) => {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      opened.push({ context, violations: await watchCsp(page, new URL(baseURL!).origin) });
      return page;
    });
    for (const { context } of opened) await context.close();
    expect(opened.flatMap((o) => o.violations), "Content-Security-Policy violations in the console's pages").toEqual([]);
  },
});

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
}

/** Reads an inbox on the mock Resend server, waiting for a message that matches. */
export async function waitForEmail(to: string, match: (m: RecordedEmail) => boolean = () => true): Promise<RecordedEmail> {
  let found: RecordedEmail | undefined;
  await expect
    .poll(
      async () => {
        const res = await fetch(`${mockResendUrl}/__mock/emails?to=${encodeURIComponent(to)}`);
        const messages = (await res.json()) as RecordedEmail[];
        found = messages.reverse().find(match);
        return Boolean(found);
      },
      { message: `an email to ${to}`, timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

/** The code of the newest "Verify it's you" email sent to `to` after `since`. */
export async function stepUpCode(to: string, since: Date): Promise<string> {
  const email = await waitForEmail(to, (m) => /verification code/i.test(m.subject) && new Date(m.receivedAt) >= since);
  const code = email.text?.match(/verification code is (\d{6})/)?.[1];
  if (!code) throw new Error(`No code in: ${email.text}`);
  return code;
}

/** Answers the "Verify it's you" dialog with the code from the acting user's inbox. */
export async function verifyItsYou(page: Page, actorEmail: string, since: Date) {
  const dialog = page.getByRole("dialog", { name: "Verify it's you" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("textbox", { name: "Verification code" }).fill(await stepUpCode(actorEmail, since));
  await dialog.getByRole("button", { name: "Verify" }).click();
  await expect(dialog).toBeHidden();
}

export function memberRow(page: Page, text: string) {
  return page.getByRole("row").filter({ hasText: text });
}

/** A fresh active member with the demo password, created as the app stores people. */
export async function createMember(sql: postgres.Sql, input: { accountOf: string; email: string; name: string; roles?: string[] }) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const [{ account_id }] = await sql`select account_id from users where email = ${input.accountOf}`;
  const [{ id }] = await sql`insert into users (account_id, email, name, status, password_hash)
            values (${account_id}, ${input.email}, ${input.name}, 'active', ${passwordHash}) returning id`;
  for (const role of input.roles ?? ["member"]) await sql`insert into role_grants (account_id, user_id, role_key) values (${account_id}, ${id}, ${role})`;
  return id as string;
}

/** What an authenticator app shows for `secret`, `offsetSeconds` from now. */
export function totpCode(secret: string, offsetSeconds = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });
}

/** Sets up 2FA from Personal Account the way a person does: their password first, then the key read off the page. */
export async function enrolTotp(page: Page, password = DEMO_PASSWORD): Promise<{ secret: string; backupCodes: string[] }> {
  await page.goto("/account");
  await page.getByRole("link", { name: "Set up two-factor authentication" }).click();
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Set up 2FA" }).click();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  const secret = await page.getByRole("textbox", { name: /Setup key/ }).inputValue();
  await page.getByLabel("6-digit code from the app").fill(await totpCode(secret));
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("Two-factor authentication is on.")).toBeVisible();
  const backupCodes = await page.getByRole("list", { name: "Backup codes" }).getByRole("listitem").allInnerTexts();
  expect(backupCodes).toHaveLength(10);
  return { secret, backupCodes };
}

/** Password step only: stops at the second step (or wherever the app sends the person). */
export async function enterPassword(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/**
 * Configures an account's OpenID Connect IdP the way `npm run configure` stores it (client
 * secret encrypted, the domains verified on the operator's word); `verified: false` leaves
 * the domains to be verified in the console.
 */
export async function configureIdentityProvider(
  sql: postgres.Sql,
  input: { accountOf: string; slug: string; domains: string[]; issuer?: string; ssoOnly?: boolean; verified?: boolean },
) {
  const key = process.env.ENCRYPTION_KEY;
  if (!key) throw new Error("ENCRYPTION_KEY is not set: run the e2e suite through `npm test`");
  const [{ account_id }] = await sql`select account_id from users where email = ${input.accountOf}`;
  const issuer = input.issuer ?? `http://127.0.0.1:${process.env.E2E_OIDC_PORT ?? 4020}`;
  const secret = encrypt(OIDC_CLIENT.secret, Buffer.from(key, "base64"));
  await sql`insert into identity_providers (account_id, slug, issuer, client_id, client_secret_encrypted, email_domains, sso_only)
            values (${account_id}, ${input.slug}, ${issuer}, ${OIDC_CLIENT.id}, ${secret}, ${input.domains}, ${input.ssoOnly ?? false})
            on conflict (account_id) do update set issuer = excluded.issuer, client_id = excluded.client_id, email_domains = excluded.email_domains, sso_only = excluded.sso_only`;
  if (input.verified === false) return;
  for (const domain of input.domains) {
    await sql`insert into verified_domains (account_id, domain, token, verified_at, join_mode, default_role)
              values (${account_id}, ${domain}, ${randomUUID()}, now(), 'auto', 'member')
              on conflict (account_id, domain) do update set verified_at = now()`;
  }
}

/** Publishes a TXT record on the local DNS server the console verifies domains with (e2e/mock-servers/dns.ts). */
export async function publishTxtRecord(name: string, value: string) {
  const response = await fetch(`http://127.0.0.1:${process.env.E2E_DNS_PORT ?? 4030}/__mock/txt`, { method: "POST", body: JSON.stringify({ name, value }) });
  expect(response.status).toBe(204);
}

/** "Continue with SSO", then the identity provider's own login screen. */
export async function signInWithSso(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with SSO" }).click();
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Continue with SSO" }).click();
  // Someone already signed in at the IdP comes straight back.
  const login = page.getByPlaceholder("Enter any login");
  await expect(login.or(page.getByRole("heading", { name: "Personal Account" }))).toBeVisible();
  if (await login.isVisible()) {
    await login.fill(email);
    await page.getByPlaceholder("and password").fill("idp-password");
    await page.getByRole("button", { name: "Sign-in" }).click();
  }
}

/** Signs out and waits until the sign-in page shows, so the next step cannot race the sign-out. */
export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
}

/**
 * Calls a server action directly, as a crafted request would (not through the UI): the
 * action's ID comes from the build's manifest, the browser's cookies come along.
 */
export async function callServerAction(page: Page, input: { file: string; name: string; path: string; args: unknown[] }) {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const id = Object.entries(manifest.node).find(([, action]) => action.filename === input.file && action.exportedName === input.name)?.[0];
  if (!id) throw new Error(`No server action ${input.name} in ${input.file}`);
  const origin = new URL(page.url()).origin;
  const response = await page.request.post(input.path, {
    headers: { "Next-Action": id, Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8", Origin: origin },
    data: JSON.stringify(input.args),
    maxRedirects: 0,
  });
  return { status: response.status(), redirect: response.headers()["x-action-redirect"] ?? response.headers()["location"] ?? null, body: await response.text() };
}
