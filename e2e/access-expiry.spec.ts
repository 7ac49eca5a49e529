import { enterPassword, expect, memberRow, test, verifyItsYou, waitForEmail } from "./fixtures";
import { moveClockTo, resetClock } from "./support/clock";
import { formatExpiry, formatExpiryDate, toUtcInputValue } from "@/lib/expiry/format";
import { ACCESS_EXPIRED } from "@/lib/expiry/validate";

// A5: access that ends by itself. The console's clock is moved (e2e/support/clock.ts),
// never waited for. The access-expiry job runs once per 5-minute slot of that clock
// (lib/expiry/jobs.ts), so the spec places the clock inside a slot whose run is over to
// show that the refusal needs no job, then in the next slot to see the job's work.
const MINUTE = 60_000;
const DAY = 86_400_000;
const SLOT = 5 * MINUTE;

test.afterEach(() => resetClock());

test("an expiry set by an admin warns the member, refuses their next click once it passes, and the job then records it and tells the admins", async ({ page, sql, tenant, signInAs, newPage }) => {
  const { admin, member } = tenant;
  // An expiry 2 minutes into a slot about ten days from now.
  const slot = Math.floor((Date.now() + 10 * DAY) / SLOT) * SLOT;
  const expiry = new Date(slot + 2 * MINUTE);
  const memberPage = await newPage();
  await signInAs(memberPage, member);

  await signInAs(page, admin);
  await page.goto(`/users/${member.id}`);
  const section = page.getByRole("region", { name: "Access expiry" });
  await section.getByRole("button", { name: `Set expiry: the membership of ${member.name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Expiry of the membership of ${member.name}` });
  await dialog.getByLabel("Expires at").fill(toUtcInputValue(expiry));
  const since = new Date();
  await dialog.getByRole("button", { name: "Save expiry" }).click();
  await verifyItsYou(page, admin.email, since);
  await expect(section.getByRole("status")).toHaveText(`The membership of ${member.name} expires ${formatExpiry(expiry)}.`);
  await expect(section.getByRole("row", { name: /Membership/ })).toContainText(`Expires ${formatExpiryDate(expiry)}`);
  const [set] = await sql`select details from audit_events where action = 'access.expiry_set' and target_id = ${member.id}`;
  expect(set.details).toMatchObject({ type: "membership", before: null, after: expiry.toISOString() });

  // The team table: an Expires badge, and the filter finds them (and not the admin).
  await page.goto("/users");
  await page.getByRole("combobox", { name: "Status" }).selectOption({ label: "Expiring within 30 days" });
  await expect(page).toHaveURL(/status=expiring/);
  await expect(memberRow(page, member.email)).toContainText(`Expires ${formatExpiryDate(expiry)}`);
  await expect(memberRow(page, admin.email)).toHaveCount(0);

  // Six days before: the member is warned by email (the hourly expiry-warning job).
  moveClockTo(new Date(expiry.getTime() - 6 * DAY));
  const warning = await waitForEmail(member.email, (m) => /expires soon/.test(m.subject));
  expect(warning.text).toContain(`membership of ${tenant.name} — ${formatExpiry(expiry)}`);

  // A minute before the expiry: this slot's access-expiry run happens, and finds nothing.
  moveClockTo(new Date(slot + MINUTE));
  const slotKey = new Date(slot).toISOString();
  await expect.poll(async () => (await sql`select status from jobs where name = 'access-expiry' and key = ${slotKey}`)[0]?.status, { timeout: 20_000 }).toBe("done");
  // Still in: a whole page load (awaited to its end, so nothing of it is still in flight when the clock moves).
  await memberPage.goto("/account");
  await expect(memberPage.getByRole("heading", { name: "Personal Account" })).toBeVisible();

  // A minute after it, in the same slot: no job runs, yet the member's next click is refused.
  moveClockTo(new Date(slot + 3 * MINUTE));
  await memberPage.getByRole("link", { name: "Personal Account" }).click();
  await expect(memberPage.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
  await expect(memberPage.getByText(ACCESS_EXPIRED)).toBeVisible();
  const expiredEvents = async () => (await sql`select details from audit_events where action = 'access.expired' and target_id = ${member.id}`).map((row) => row.details);
  expect(await expiredEvents()).toEqual([]);
  // Signing in again says why, to whoever knows the password; a wrong one learns nothing.
  await enterPassword(memberPage, member.email);
  await expect(memberPage.getByText(ACCESS_EXPIRED)).toBeVisible();
  await enterPassword(memberPage, member.email, "Wrong-Password-1!");
  await expect(memberPage.getByText("Incorrect email or password.")).toBeVisible();

  // The next slot: the job records the expiry once and sends the admins a summary.
  moveClockTo(new Date(slot + SLOT + 30_000));
  await expect.poll(expiredEvents, { timeout: 20_000 }).toHaveLength(1);
  expect((await expiredEvents())[0]).toMatchObject({ what: "membership", expiresAt: expiry.toISOString() });
  const summary = await waitForEmail(admin.email, (m) => m.subject === `Access expired in ${tenant.name}: 1 item`);
  expect(summary.text).toContain(`${member.name} (${member.email}): membership of ${tenant.name}`);

  // Renewing is one action (with "Verify it's you"), and the member is back in at once.
  const renewedUntil = new Date(slot + 40 * DAY);
  await page.goto(`/users/${member.id}`);
  await expect(section.getByRole("row", { name: /Membership/ })).toContainText("Expired");
  await section.getByRole("button", { name: `Renew: the membership of ${member.name}` }).click();
  const renew = page.getByRole("dialog", { name: `Renew the membership of ${member.name}` });
  await renew.getByLabel("Renew until").fill(toUtcInputValue(renewedUntil));
  const renewSince = new Date();
  await renew.getByRole("button", { name: "Renew" }).click();
  await verifyItsYou(page, admin.email, renewSince);
  await expect(section.getByRole("status")).toHaveText(`The membership of ${member.name} is renewed until ${formatExpiry(renewedUntil)}.`);
  await signInAs(memberPage, member);
  const [renewed] = await sql`select details from audit_events where action = 'access.renewed' and target_id = ${member.id}`;
  expect(renewed.details).toMatchObject({ before: expiry.toISOString(), after: renewedUntil.toISOString() });
});

test("a role given until a time is gone on the member's next request after it", async ({ page, sql, tenant, signInAs, newPage }) => {
  const { admin, member } = tenant;
  const until = new Date(Math.floor((Date.now() + 3 * DAY) / MINUTE) * MINUTE);
  await signInAs(page, admin);
  await page.goto(`/users/${member.id}`);
  await page.getByRole("button", { name: `Change roles of ${member.name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Roles of ${member.name}` });
  await dialog.getByRole("checkbox", { name: "Restricted administrator" }).check();
  await dialog.getByLabel("Roles added now expire (optional)").fill(toUtcInputValue(until));
  const since = new Date();
  await dialog.getByRole("button", { name: "Save roles" }).click();
  await verifyItsYou(page, admin.email, since);
  await expect(page.getByRole("region", { name: "Access expiry" }).getByRole("row", { name: /Restricted administrator/ })).toContainText(`Expires ${formatExpiryDate(until)}`);

  // Until then the member manages the team; from then on, not — no job involved.
  const memberPage = await newPage();
  await signInAs(memberPage, member);
  await memberPage.goto("/users");
  await expect(memberPage.getByRole("heading", { name: "User Management" })).toBeVisible();
  moveClockTo(new Date(until.getTime() + MINUTE));
  await memberPage.reload();
  await expect(memberPage.getByRole("heading", { name: "User Management" })).toHaveCount(0);
  await expect(memberPage.getByRole("link", { name: "User Management" })).toHaveCount(0);
  const [grant] = await sql`select expires_at from role_grants where user_id = ${member.id} and role_key = 'restricted_admin'`;
  expect(new Date(grant.expires_at).toISOString()).toBe(until.toISOString());
});
