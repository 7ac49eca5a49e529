import { randomToken, sha256 } from "@/lib/crypto";
import { expect, test } from "./fixtures";

test("a refused password keeps what the person typed, except what has to be typed again", async ({ page, sql, tenant }) => {
  // An invitation stored as the app stores it (only the token's hash), for a fresh address.
  const email = `joiner@${tenant.admin.email.split("@")[1]}`;
  const token = randomToken(32);
  const [adminId, accountId] = [tenant.admin.id, tenant.accountId];
  const [{ id: userId }] = await sql`insert into users (account_id, email, status) values (${accountId}, ${email}, 'invited') returning id`;
  await sql`insert into invitations (account_id, user_id, email, token_hash, invited_by, expires_at)
            values (${accountId}, ${userId}, ${email}, ${sha256(token)}, ${adminId}, now() + interval '7 days')`;

  await page.goto(`/invitations/${token}`);
  await expect(page.getByRole("heading", { name: `Join ${tenant.name}` })).toBeVisible();
  const name = page.getByLabel("Your name");
  const password = page.getByLabel("Password", { exact: true });
  const confirm = page.getByLabel("Confirm password");
  const accept = page.getByRole("button", { name: "Accept invitation" });

  // Missing a kind of character: fixed by adding it, so everything typed stays.
  await name.fill("Jo Joiner");
  await password.fill("Granite-Meadow!");
  await confirm.fill("Granite-Meadow!");
  await accept.click();
  await expect(page.getByText("The password needs: a digit.")).toBeVisible();
  await expect(name).toHaveValue("Jo Joiner");
  await expect(password).toHaveValue("Granite-Meadow!");
  await expect(confirm).toHaveValue("Granite-Meadow!");
  await expect(password).toBeFocused();

  // Passwords that do not match: the confirmation is typed again.
  await password.fill("Granite-Meadow-4471!");
  await confirm.fill("Granite-Meadow-4471?");
  await accept.click();
  await expect(page.getByText("The passwords do not match.")).toBeVisible();
  await expect(name).toHaveValue("Jo Joiner");
  await expect(password).toHaveValue("Granite-Meadow-4471!");
  await expect(confirm).toHaveValue("");
  await expect(confirm).toBeFocused();

  // A guessable password: a new one is chosen, so both password fields are emptied.
  await password.fill("Password1!");
  await confirm.fill("Password1!");
  await accept.click();
  await expect(page.getByText("The password needs: not a common or easily guessed password.")).toBeVisible();
  await expect(name).toHaveValue("Jo Joiner");
  await expect(password).toHaveValue("");
  await expect(confirm).toHaveValue("");
  await expect(password).toBeFocused();

  await password.fill("Granite-Meadow-4471!");
  await confirm.fill("Granite-Meadow-4471!");
  await accept.click();
  await expect(page.getByRole("heading", { name: "Personal Account" })).toBeVisible();
  await expect(page.getByText("Signed in as Jo Joiner")).toBeVisible();
});
