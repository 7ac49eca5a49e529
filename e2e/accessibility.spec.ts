import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import type postgres from "postgres";
import { hashPassword } from "@/lib/auth/password";
import { startConsoleWithoutEmail } from "./console-without-email";
import { addVirtualAuthenticator } from "./support/virtual-authenticator";
import { createUnits } from "./support/units";
import { DEMO, enterPassword, expect, signIn, signOut, test, totpCode, verifyItsYou, waitForEmail, type Tenant } from "./fixtures";

// Each journey runs axe several times, which takes a few seconds each on a busy machine.
test.describe.configure({ timeout: 120_000 });

// WCAG 2.1 A and AA, plus axe's best practices (landmarks, one h1, …).
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/**
 * Runs axe on the page as it is now. Soft: the journey goes on, so one run reports every
 * page's violations (each named and located), and the test still fails.
 */
async function expectNoAxeViolations(page: Page, state: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect.soft(found, `axe on ${state} (${page.url()})`).toEqual([]);
}

/**
 * More kinds of people in the tenant's account than the sample has (a second admin, one
 * with 2FA on, one from SSO), so axe sees every badge and action User Management shows.
 */
async function addVarietyOfPeople(sql: postgres.Sql, tenant: Tenant) {
  const domain = tenant.admin.email.split("@")[1];
  const passwordHash = await hashPassword(tenant.password);
  const person = (local: string, name: string, extra: { totpOn?: boolean; sso?: boolean } = {}) => ({
    account_id: tenant.accountId,
    email: `${local}@${domain}`,
    name,
    status: "active",
    password_hash: passwordHash,
    totp_enabled_at: extra.totpOn ? new Date().toISOString() : null,
    sso_subject: extra.sso ? `${local}-${domain}` : null,
  });
  const people = [person("other.admin", "Omar Other"), person("tom", "Tom Totp", { totpOn: true }), person("sue", "Sue Sso", { sso: true })];
  const ids = await sql`insert into users ${sql(people)} returning id`;
  const roles = ["admin", "member", "member"];
  await sql`insert into role_grants ${sql(ids.map((row, i) => ({ account_id: tenant.accountId, user_id: row.id, role_key: roles[i] })))}`;
}

test("sign-in, its SSO step, forgot password and the ended-link pages", async ({ page }) => {
  await page.goto("/sign-in");
  await expectNoAxeViolations(page, "sign-in");
  await page.getByLabel("Email").fill("nobody@nowhere.test");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  await expectNoAxeViolations(page, "sign-in after a refusal");
  await page.getByRole("button", { name: "Continue with SSO" }).click();
  await expect(page.getByLabel("Work email")).toBeVisible();
  await expectNoAxeViolations(page, "sign-in, SSO step");
  await page.goto("/sign-in?sso_error=failed");
  await expectNoAxeViolations(page, "sign-in, SSO refused");

  await page.goto("/forgot-password");
  await expectNoAxeViolations(page, "forgot password");
  await page.getByLabel("Email").fill("nobody.at.all@nowhere.test");
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account exists");
  await expectNoAxeViolations(page, "forgot password, sent");

  await page.goto("/reset-password/not-a-real-token");
  await expect(page.getByRole("heading", { name: "Reset link not valid" })).toBeVisible();
  await expectNoAxeViolations(page, "reset password, invalid link");
  await page.goto("/this-wasnt-me/not-a-real-token");
  await expect(page.getByRole("heading", { name: "Link not valid" })).toBeVisible();
  await expectNoAxeViolations(page, "This wasn't me, invalid link");
  await page.goto("/invitations/not-a-real-token");
  await expect(page.getByRole("heading", { name: "Invitation not valid" })).toBeVisible();
  await expectNoAxeViolations(page, "invitation, invalid link");
  await page.goto("/sign-in/verify");
  await expect(page.getByRole("heading", { name: "Sign-in expired" })).toBeVisible();
  await expectNoAxeViolations(page, "second step without a password step");

  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expectNoAxeViolations(page, "404");
});

test("reset-password and invitation pages with real links from the inbox", async ({ page, tenant, signInAs }) => {
  const member = tenant.member.email;
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(member);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  const reset = await waitForEmail(member, (m) => /Reset your/.test(m.subject));
  await page.goto(reset.text!.match(/https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/)![0]);
  await expect(page.getByRole("heading", { name: "Set a new password" })).toBeVisible();
  await expectNoAxeViolations(page, "reset password");
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByLabel("Confirm new password").fill("different");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expectNoAxeViolations(page, "reset password with errors");

  // The invitation: sent from User Management, read from the invitee's inbox.
  const invitee = `ines@${tenant.admin.email.split("@")[1]}`;
  await signInAs(page, tenant.admin);
  await page.goto("/users");
  await page.getByRole("button", { name: "Add User" }).click();
  const addDialog = page.getByRole("dialog", { name: "Add user" });
  await addDialog.getByLabel("Email").fill(invitee);
  const since = new Date();
  await addDialog.getByRole("button", { name: "Send invitation" }).click();
  await verifyItsYou(page, tenant.admin.email, since);
  const invitation = await waitForEmail(invitee, (m) => /invited you/.test(m.subject));
  await signOut(page);
  await page.goto(invitation.text!.match(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]+/)![0]);
  await expect(page.getByRole("heading", { name: /^Join / })).toBeVisible();
  await expectNoAxeViolations(page, "accept invitation");
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expectNoAxeViolations(page, "accept invitation with errors");
});

test("Personal Account, its two-factor, API key and Security pages, the second sign-in step, and This wasn't me", async ({ page, tenant, signInAs }) => {
  const member = tenant.member.email;
  await signInAs(page, tenant.member);
  await expectNoAxeViolations(page, "Personal Account");
  await page.goto("/account/two-factor");
  await expectNoAxeViolations(page, "two-factor, off");
  // A wrong password first: the refusal is announced accessibly too.
  await page.getByLabel("Password", { exact: true }).fill("Not-The-Password-1!");
  await page.getByRole("button", { name: "Set up 2FA" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
  await expectNoAxeViolations(page, "two-factor, wrong password");
  await page.getByLabel("Password", { exact: true }).fill(tenant.password);
  await page.getByRole("button", { name: "Set up 2FA" }).click();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  await expectNoAxeViolations(page, "two-factor, scan the QR code");
  const secret = await page.getByRole("textbox", { name: /Setup key/ }).inputValue();
  await page.getByLabel("6-digit code from the app").fill(await totpCode(secret));
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("list", { name: "Backup codes" })).toBeVisible();
  await expectNoAxeViolations(page, "two-factor, backup codes");
  await page.reload();
  await expect(page.getByText(/Status:\s*On/)).toBeVisible();
  await expectNoAxeViolations(page, "two-factor, on");
  const backupCodes = page.getByRole("region", { name: "Backup codes" });
  await backupCodes.getByRole("button", { name: "Make new backup codes" }).click();
  await expectNoAxeViolations(page, "two-factor, new backup codes form");
  await backupCodes.getByLabel("Password", { exact: true }).fill(tenant.password);
  await backupCodes.getByLabel("Current code or a backup code").fill(await totpCode(secret, 30));
  await backupCodes.getByRole("button", { name: "Make new codes" }).click();
  await expect(backupCodes.getByRole("list", { name: "Backup codes" })).toBeVisible();
  await expectNoAxeViolations(page, "two-factor, new backup codes shown");
  await page.goto("/account/api-keys");
  await expectNoAxeViolations(page, "API keys");
  await page.goto("/account/security");
  await expect(page.getByRole("heading", { name: "Security", exact: true })).toBeVisible();
  await expect(page.getByRole("table", { name: "Security notifications sent to you" }).getByRole("row").filter({ hasText: "Two-factor authentication was turned on" })).toHaveCount(1);
  await expectNoAxeViolations(page, "Security (sessions, security notifications, no passkeys)");
  // B1: a passkey listed, its rename and remove dialogs.
  await addVirtualAuthenticator(page);
  const addPasskey = page.getByRole("form", { name: "Add a passkey" });
  await addPasskey.getByLabel("Passkey name").fill("Laptop");
  await addPasskey.getByLabel("Password", { exact: true }).fill(tenant.password);
  await addPasskey.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The passkey Laptop was added." })).toBeVisible();
  await expectNoAxeViolations(page, "Security, a passkey listed");
  await page.getByRole("button", { name: "Rename passkey Laptop" }).click();
  await expect(page.getByRole("dialog", { name: "Rename passkey" })).toBeVisible();
  await expectNoAxeViolations(page, "Security, rename a passkey");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Remove passkey Laptop" }).click();
  await expect(page.getByRole("dialog", { name: "Remove passkey" })).toBeVisible();
  await expectNoAxeViolations(page, "Security, remove a passkey");
  await page.getByRole("dialog", { name: "Remove passkey" }).getByRole("button", { name: "Cancel" }).click();

  await signOut(page);
  await enterPassword(page, member);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Use a passkey" })).toBeVisible();
  await expectNoAxeViolations(page, "second sign-in step (a code or a passkey)");
  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
  await expectNoAxeViolations(page, "second sign-in step, wrong code");

  // "This wasn't me" from the security notice: the page that asks, and its answer.
  const notice = await waitForEmail(member, (m) => /Two-factor authentication was turned on/.test(m.subject));
  await page.goto(notice.text!.match(/https?:\/\/\S+\/this-wasnt-me\/[A-Za-z0-9_-]+/)![0]);
  await expect(page.getByRole("heading", { name: "This wasn't me" })).toBeVisible();
  await expectNoAxeViolations(page, "This wasn't me");
  await page.getByRole("button", { name: "Sign me out everywhere" }).click();
  await expect(page.getByRole("status")).toContainText("Done");
  await expectNoAxeViolations(page, "This wasn't me, done");
});

test("Setup 2FA Required", async ({ page, sql, tenant }) => {
  const member = tenant.member.email;
  await sql`update accounts set enforce_two_factor = true, two_factor_enforced_since = now() where id = ${tenant.accountId}`;
  await enterPassword(page, member);
  await expect(page.getByRole("heading", { name: "Setup 2FA Required" })).toBeVisible();
  await expectNoAxeViolations(page, "Setup 2FA Required");
  await page.getByLabel("Password", { exact: true }).fill(tenant.password);
  await page.getByRole("button", { name: "Set up 2FA" }).click();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  await expectNoAxeViolations(page, "Setup 2FA Required, scan the QR code");
  await page.getByRole("button", { name: "Use a passkey instead" }).click();
  await expect(page.getByLabel("Passkey name")).toBeVisible();
  await expectNoAxeViolations(page, "Setup 2FA Required, with a passkey");
});

test("User Management with its dialogs, Email delivery, and a member's 404", async ({ page, sql, tenant, signInAs }) => {
  await addVarietyOfPeople(sql, tenant);
  const member = tenant.member.email;
  await signInAs(page, tenant.admin);
  await page.goto("/users");
  await expect(page.getByRole("heading", { name: "User Management" })).toBeVisible();
  await expectNoAxeViolations(page, "User Management");

  await page.getByRole("button", { name: "Add User" }).click();
  const addDialog = page.getByRole("dialog", { name: "Add user" });
  await expect(addDialog).toBeVisible();
  await expectNoAxeViolations(page, "User Management, Add user dialog");
  await addDialog.getByRole("button", { name: "Send invitation" }).click();
  await expect(addDialog.getByRole("alert").first()).toBeVisible();
  await expectNoAxeViolations(page, "User Management, Add user dialog with errors");
  await page.keyboard.press("Escape");

  await page.getByRole("row").filter({ hasText: member }).getByRole("button", { name: `Disable ${tenant.member.name}` }).click();
  const verify = page.getByRole("dialog", { name: "Verify it's you" });
  await expect(verify).toBeVisible();
  await expectNoAxeViolations(page, "User Management, Verify it's you dialog");
  await verify.getByRole("textbox", { name: "Verification code" }).fill("000000");
  await verify.getByRole("button", { name: "Verify" }).click();
  await expect(verify.getByRole("alert")).toBeVisible();
  await expectNoAxeViolations(page, "User Management, Verify it's you dialog with a wrong code");
  await verify.getByRole("button", { name: "Cancel" }).click();

  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoAxeViolations(page, "User Management on a phone");
  await page.getByRole("button", { name: `Actions for ${tenant.member.name}` }).click();
  await expect(page.getByRole("menu", { name: `Actions for ${tenant.member.name}` })).toBeVisible();
  await expectNoAxeViolations(page, "User Management on a phone, a member's actions menu");
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.getByRole("link", { name: "Email delivery" }).click();
  await expect(page.getByRole("heading", { name: "Email delivery" })).toBeVisible();
  await expectNoAxeViolations(page, "Email delivery");

  await signOut(page);
  await signInAs(page, tenant.member);
  const response = await page.goto("/users");
  expect(response?.status()).toBe(404);
  await expectNoAxeViolations(page, "404 for a member");
});

test("Roles with the role editor, a member's page with its roles dialog and sessions, and Add workstation", async ({ page, tenant, signInAs, newPage }) => {
  await signInAs(page, tenant.admin);
  await page.goto("/roles");
  await expect(page.getByRole("heading", { name: "Roles", exact: true })).toBeVisible();
  await expectNoAxeViolations(page, "Roles");
  await page.getByRole("button", { name: "New role" }).click();
  await expect(page.getByRole("dialog", { name: "New role" })).toBeVisible();
  await expectNoAxeViolations(page, "Roles, New role dialog");
  await page.keyboard.press("Escape");

  await page.goto(`/users/${tenant.member.id}`);
  await expect(page.getByRole("heading", { name: tenant.member.name })).toBeVisible();
  await expectNoAxeViolations(page, "a member's page");
  await page.getByRole("button", { name: `Change roles of ${tenant.member.name}` }).click();
  await expect(page.getByRole("dialog", { name: `Roles of ${tenant.member.name}` })).toBeVisible();
  await expectNoAxeViolations(page, "a member's page, roles dialog");
  await page.keyboard.press("Escape");
  // A5: the expiry dialog of their membership.
  await page.getByRole("region", { name: "Access expiry" }).getByRole("button", { name: `Set expiry: the membership of ${tenant.member.name}` }).click();
  await expect(page.getByRole("dialog", { name: `Expiry of the membership of ${tenant.member.name}` })).toBeVisible();
  await expectNoAxeViolations(page, "a member's page, expiry dialog");
  await page.keyboard.press("Escape");
  // The member's sessions, and "Verify it's you" for ending them.
  await signInAs(await newPage(), tenant.member);
  await page.reload();
  await page.getByRole("region", { name: "Sessions" }).getByRole("button", { name: "End all sessions" }).click();
  await expect(page.getByRole("dialog", { name: "Verify it's you" })).toBeVisible();
  await expectNoAxeViolations(page, "a member's page, ending their sessions");
  await page.keyboard.press("Escape");

  await page.goto("/users");
  await page.getByRole("button", { name: "Add workstation" }).click();
  await expect(page.getByRole("dialog", { name: "Add shared workstation" })).toBeVisible();
  await expectNoAxeViolations(page, "User Management, Add workstation dialog");
});

test("Organisation units with its dialogs, and units on a member's page, in their roles dialog and in Add user", async ({ page, sql, tenant, signInAs }) => {
  await createUnits(sql, tenant.accountId, [["EMEA", null], ["Germany", "EMEA"], ["Americas", null]], [[tenant.member.id, "Germany"]]);
  await signInAs(page, tenant.admin);
  await page.goto("/units");
  await expect(page.getByRole("heading", { name: "Organisation units" })).toBeVisible();
  await expectNoAxeViolations(page, "Organisation units");
  await page.getByRole("button", { name: "New unit" }).click();
  await expect(page.getByRole("dialog", { name: "New unit" })).toBeVisible();
  await expectNoAxeViolations(page, "Organisation units, New unit dialog");
  await page.getByRole("dialog", { name: "New unit" }).getByRole("button", { name: "Create unit" }).click();
  await expect(page.getByRole("dialog", { name: "New unit" }).getByRole("alert").first()).toBeVisible();
  await expectNoAxeViolations(page, "Organisation units, New unit dialog with errors");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Move Germany" }).click();
  await expect(page.getByRole("dialog", { name: "Move Germany" })).toBeVisible();
  await expectNoAxeViolations(page, "Organisation units, Move dialog");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Delete EMEA" }).click();
  await expect(page.getByRole("status", { name: "Unit messages" })).toContainText("EMEA still has");
  await expectNoAxeViolations(page, "Organisation units, a refused delete");

  await page.goto(`/users/${tenant.member.id}`);
  await expect(page.getByRole("region", { name: "Units" })).toContainText("EMEA / Germany");
  await expectNoAxeViolations(page, "a member's page with their units");
  await page.getByRole("button", { name: `Change roles of ${tenant.member.name}` }).click();
  await expect(page.getByRole("dialog", { name: `Roles of ${tenant.member.name}` }).getByLabel("On unit")).toBeVisible();
  await expectNoAxeViolations(page, "a member's roles dialog with roles on units");
  await page.keyboard.press("Escape");

  await page.goto("/users");
  await expect(page.getByLabel("Unit")).toBeVisible();
  await page.getByRole("button", { name: "Add User" }).click();
  await expect(page.getByRole("dialog", { name: "Add user" }).getByLabel("Unit")).toBeVisible();
  await expectNoAxeViolations(page, "User Management with units, Add user dialog");
});

test("Resources with its New resource and Share dialogs, Teams with its dialog, and a member's Leaving panel with its dialogs", async ({ page, tenant, signInAs }) => {
  await signInAs(page, tenant.admin);
  await page.goto("/resources");
  await expect(page.getByRole("heading", { name: "Resources" })).toBeVisible();
  await expectNoAxeViolations(page, "Resources");
  await page.getByRole("button", { name: "New resource" }).click();
  await expect(page.getByRole("dialog", { name: "New resource" })).toBeVisible();
  await expectNoAxeViolations(page, "Resources, New resource dialog");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Share Quarterly revenue" }).click();
  await expect(page.getByRole("dialog", { name: "Share Quarterly revenue" })).toBeVisible();
  await expectNoAxeViolations(page, "Resources, Share dialog");
  await page.keyboard.press("Escape");

  await page.goto("/teams");
  await expect(page.getByRole("region", { name: "Analytics" })).toBeVisible();
  await expectNoAxeViolations(page, "Teams");
  await page.getByRole("button", { name: "Edit Analytics" }).click();
  await expect(page.getByRole("dialog", { name: "Edit Analytics" })).toBeVisible();
  await expectNoAxeViolations(page, "Teams, Edit dialog");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Delete Analytics" }).click();
  await expect(page.getByRole("dialog", { name: "Delete Analytics?" })).toBeVisible();
  await expectNoAxeViolations(page, "Teams, Delete dialog of a team with shares");
  await page.keyboard.press("Escape");

  await page.goto(`/users/${tenant.member.id}`);
  await expect(page.getByRole("region", { name: "Leaving" })).toBeVisible();
  await expectNoAxeViolations(page, "a member's page with the Leaving panel");
  await page.getByRole("button", { name: "Transfer ownership" }).click();
  await expect(page.getByRole("dialog", { name: `Transfer ${tenant.member.name}'s resources` })).toBeVisible();
  await expectNoAxeViolations(page, "Transfer ownership dialog");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: `Anonymise ${tenant.member.name}` }).click();
  await expect(page.getByRole("dialog", { name: `Anonymise ${tenant.member.name}?` })).toBeVisible();
  await expectNoAxeViolations(page, "Anonymise dialog");
});

test("Properties and access rules, a rule's preview, an import's problems, a property being edited, and properties on a member's page", async ({ page, tenant, signInAs }) => {
  await signInAs(page, tenant.admin);
  await page.goto("/properties");
  await expect(page.getByRole("heading", { name: "Properties and access rules" })).toBeVisible();
  await expectNoAxeViolations(page, "Properties and access rules, empty");
  const newProperty = page.getByRole("form", { name: "New property" });
  await newProperty.getByLabel("Label").fill("Site");
  await newProperty.getByLabel("Key").fill("site");
  await newProperty.getByLabel("Type").selectOption({ label: "Choice" });
  await newProperty.getByLabel("Choices, one a line").fill("Toulouse\nLyon");
  await newProperty.getByRole("button", { name: "Add property" }).click();
  await expect(page.getByRole("table", { name: "Properties" })).toContainText("Site");
  const newRule = page.getByRole("form", { name: "New rule" });
  await newRule.getByLabel("Rule name").fill("Toulouse viewers");
  await newRule.getByLabel("People whose").selectOption({ label: "Site" });
  await newRule.getByLabel("is", { exact: true }).selectOption({ label: "Toulouse" });
  await newRule.getByLabel("get the role").selectOption({ label: "Viewer" });
  await newRule.getByRole("button", { name: "Preview" }).click();
  await expect(newRule.getByRole("region", { name: "Would gain access" })).toBeVisible();
  await page.getByLabel("CSV text").fill("email,site\nnobody@example.test,Paris\n");
  await page.getByRole("button", { name: "Preview import" }).click();
  await expect(page.getByRole("table", { name: "Problems in the file" })).toBeVisible();
  await expectNoAxeViolations(page, "Properties and access rules, a rule's preview and an import's problems");
  await page.getByRole("button", { name: "Edit Site" }).click();
  await expect(page.getByRole("form", { name: "Edit Site" })).toBeVisible();
  await expectNoAxeViolations(page, "Properties and access rules, a property being edited");

  await page.goto(`/users/${tenant.member.id}`);
  await expect(page.getByRole("form", { name: `Properties of ${tenant.member.name}` })).toBeVisible();
  await expectNoAxeViolations(page, "a member's page with their properties");
  await page.goto("/users");
  await expect(page.getByRole("form", { name: "Filter by property" })).toBeVisible();
  await expectNoAxeViolations(page, "User Management with a property filter");
});

test("Audit log with its filters, Verify integrity and retention", async ({ page, tenant, signInAs }) => {
  await signInAs(page, tenant.admin);
  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expectNoAxeViolations(page, "Audit log");
  await page.getByRole("button", { name: "Verify integrity" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Integrity OK" })).toBeVisible();
  await page.goto("/audit?action=member.invited&q=nothing-matches");
  await expect(page.getByText("No events match.")).toBeVisible();
  await expectNoAxeViolations(page, "Audit log, filtered to nothing");
});

test("Access reviews, a campaign and its Change role dialog", async ({ page, tenant, signInAs }) => {
  await signInAs(page, tenant.admin);
  await page.goto("/reviews");
  await expect(page.getByRole("heading", { name: "Access reviews", level: 1 })).toBeVisible();
  await expectNoAxeViolations(page, "Access reviews");
  await page.getByRole("button", { name: "Start review" }).click();
  await expect(page.getByRole("table", { name: /^Lines of / })).toBeVisible();
  await expectNoAxeViolations(page, "an access review's lines");
  await page.getByRole("button", { name: `Change role: ${tenant.admin.name}, Administers` }).click();
  await expect(page.getByRole("dialog", { name: `Change the roles of ${tenant.admin.name}` })).toBeVisible();
  await expectNoAxeViolations(page, "an access review's Change role dialog");
});

test("Settings: Identity provider with its errors, Verified domains with a record to publish, Slack, and people waiting for approval", async ({ page, sql, tenant, signInAs }) => {
  await signInAs(page, tenant.admin);
  await page.goto("/settings/identity-provider");
  await expect(page.getByRole("heading", { name: "Identity provider", level: 1 })).toBeVisible();
  await expectNoAxeViolations(page, "Identity provider");
  await page.getByRole("button", { name: "Save identity provider" }).click();
  await expect(page.getByRole("form", { name: "Identity provider" }).getByRole("alert")).toBeVisible();
  await expectNoAxeViolations(page, "Identity provider with an error");

  await page.goto("/settings/domains");
  await page.getByRole("form", { name: "Add a domain" }).getByLabel("Domain").fill(`a11y-${Date.now().toString(36)}.test`);
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByText(/^roster-verification=/)).toBeVisible();
  await expectNoAxeViolations(page, "Verified domains, a record to publish");
  await sql`update verified_domains set verified_at = now() where account_id = ${tenant.accountId}`;
  await page.reload();
  await expect(page.getByLabel("Default role")).toBeVisible();
  await expectNoAxeViolations(page, "Verified domains, a verified domain's choices");

  await page.goto("/settings/slack");
  await expect(page.getByRole("heading", { name: "Slack", level: 1 })).toBeVisible();
  await expectNoAxeViolations(page, "Slack");

  await sql`insert into join_requests (account_id, email, name, sso_subject) values (${tenant.accountId}, ${`wanda@${tenant.admin.email.split("@")[1]}`}, 'Wanda Waiting', 'a11y-subject')`;
  await page.goto("/users");
  await expect(page.getByRole("region", { name: "Waiting for approval" })).toBeVisible();
  await expectNoAxeViolations(page, "User Management with people waiting for approval");
});

test("Activity, a member's sign-ins, own sign-in history and the Security overview", async ({ page, tenant, signInAs }) => {
  await signInAs(page, tenant.admin);
  await page.goto("/activity");
  await expect(page.getByRole("heading", { name: "Activity" })).toBeVisible();
  await expectNoAxeViolations(page, "Activity");
  await page.goto("/activity?result=failed&person=nobody@nowhere.test");
  await expect(page.getByText("No sign-in attempts match.")).toBeVisible();
  await expectNoAxeViolations(page, "Activity, filtered to nothing");
  await page.goto(`/users/${tenant.admin.id}`);
  await expect(page.getByRole("region", { name: "Sign-ins" })).toBeVisible();
  await expectNoAxeViolations(page, "member page with sign-ins");
  await page.goto("/account/security");
  await expect(page.getByRole("heading", { name: "Sign-in history" })).toBeVisible();
  await expectNoAxeViolations(page, "own sign-in history");
  await page.goto("/overview");
  await expect(page.getByRole("region", { name: "Sign-ins per day" })).toBeVisible();
  await expectNoAxeViolations(page, "Security overview");
});

test("Mailbox, on a console without an email provider", async ({ browser }) => {
  // A second console starts from the same build, on an embedded database of its own.
  test.setTimeout(180_000);
  const quickStart = await startConsoleWithoutEmail();
  try {
    // Not `newPage`: this browser talks to the other console. Its demo accounts live in that
    // console's own database, so using them collides with no other test.
    const context = await browser.newContext({ baseURL: quickStart.url });
    const page = await context.newPage();
    // Something to read: a reset link, kept in the outbox for lack of a provider.
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(DEMO.primary.email);
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    await expect(page.getByRole("status")).toContainText("If an account exists");
    await signIn(page, DEMO.primary.email);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mailbox" }).click();
    await expect(page.getByRole("heading", { name: "Mailbox" })).toBeVisible();
    await expect(page.getByRole("article", { name: /Reset your/ })).toBeVisible();
    await expectNoAxeViolations(page, "Mailbox");
    await context.close();
  } finally {
    await quickStart.stop();
  }
});

test("Provisioning with a new SCIM token shown once", async ({ page, tenant, signInAs }) => {
  await signInAs(page, tenant.admin);
  await page.goto("/settings/provisioning");
  await expect(page.getByRole("heading", { name: "Provisioning", level: 1 })).toBeVisible();
  await expectNoAxeViolations(page, "Provisioning");
  const since = new Date();
  await page.getByLabel("Token name").fill("Entra");
  await page.getByRole("button", { name: "Create SCIM token" }).click();
  await verifyItsYou(page, tenant.admin.email, since);
  await expect(page.getByRole("region", { name: "New SCIM token" })).toBeVisible();
  await expectNoAxeViolations(page, "Provisioning, with a new SCIM token");
});
