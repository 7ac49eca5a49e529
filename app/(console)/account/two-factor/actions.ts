"use server";

import { eq, sql } from "drizzle-orm";
import QRCode from "qrcode";
import { z } from "zod";
import { accounts, backupCodes, users } from "@/db/schema";
import { defineAction, refuse } from "@/lib/actions/define-action";
import { enforcementApplies } from "@/lib/auth/two-factor-policy";
import { deletePendingSignIns } from "@/lib/auth/sign-in-grants";
import { describeWait } from "@/lib/auth/throttle";
import { acceptSecondFactor, checkTotp, newBackupCodes, newTotpSecret, secondFactorGuesses, storeBackupCodes, totpUri } from "@/lib/auth/totp";
import { decrypt, encrypt } from "@/lib/crypto";
import { enqueueEmail } from "@/lib/email";
import { twoFactorRemovedEmail } from "@/lib/email/templates";

const sixDigits = z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app.");

/** P3 step 1: a new secret, kept encrypted as "pending" until a code from the app confirms it. */
export const startTotpEnrolment = defineAction({
  name: "two_factor.start",
  role: "any",
  allowDuringTwoFactorSetup: true,
  input: z.object({}),
  run: async ({ tx, user }) => {
    if (user.twoFactorEnabled) refuse("Two-factor authentication is already on.");
    const secret = newTotpSecret();
    await tx.update(users).set({ totpPendingSecretEncrypted: encrypt(secret) }).where(eq(users.id, user.id));
    const uri = totpUri(secret, user.email);
    // Rendered here, on the server: the secret never depends on client code.
    const qrDataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 1, width: 200 });
    return { secret, uri, qrDataUrl };
  },
});

/** P3 step 2: a right code from the app turns 2FA on and yields 10 backup codes, shown once. */
export const confirmTotpEnrolment = defineAction({
  name: "two_factor.confirm",
  role: "any",
  allowDuringTwoFactorSetup: true,
  input: z.object({ code: sixDigits }),
  run: async ({ tx, user, audit }, input) => {
    const [row] = await tx.select({ pending: users.totpPendingSecretEncrypted, enabled: users.totpEnabledAt }).from(users).where(eq(users.id, user.id)).for("update");
    if (row.enabled) refuse("Two-factor authentication is already on.");
    if (!row.pending) refuse("Start the setup again: no QR code is waiting for confirmation.");
    const result = await checkTotp(decrypt(row.pending), input.code);
    if (!result.valid) refuse("That code does not match. Check that your phone's clock is right and enter the current code.");
    await tx
      .update(users)
      .set({ totpSecretEncrypted: row.pending, totpPendingSecretEncrypted: null, totpEnabledAt: sql`now()`, totpLastTimeStep: result.timeStep })
      .where(eq(users.id, user.id));
    const codes = newBackupCodes();
    await storeBackupCodes(tx, user.id, codes);
    await audit({ action: "two_factor.enabled", target: { type: "user", id: user.id } });
    return { backupCodes: codes };
  },
});

/** Turning 2FA off takes a current code, and is refused while enforcement applies (P4). */
export const turnOffTotp = defineAction({
  name: "two_factor.disable",
  role: "any",
  input: z.object({ code: z.string().trim().min(1, "Enter a current code or a backup code.").max(32, "That code is not right.") }),
  // Every try is counted before the transaction (a refusal rolls that back), so a stolen
  // session cannot guess its way to turning 2FA off.
  check: async ({ db, user }) => {
    const quota = await secondFactorGuesses.allow(db, user.id);
    if (!quota.allowed) refuse(`Too many attempts. Try again in ${describeWait(quota.retryAfterSeconds)}.`);
  },
  run: async ({ tx, user, audit }, input) => {
    if (!user.twoFactorEnabled) refuse("Two-factor authentication is already off.");
    const [policy] = await tx.select().from(accounts).where(eq(accounts.id, user.accountId));
    if (enforcementApplies(policy, user.role)) refuse("Your administrator requires two-factor authentication, so it cannot be turned off.");
    if (!(await acceptSecondFactor(tx, user.id, input.code))) refuse("That code is not right, or it was already used.");
    await tx.update(users).set({ totpSecretEncrypted: null, totpEnabledAt: null, totpLastTimeStep: null }).where(eq(users.id, user.id));
    await tx.delete(backupCodes).where(eq(backupCodes.userId, user.id));
    await deletePendingSignIns(tx, user.id);
    await enqueueEmail(tx, { accountId: user.accountId, to: user.email, kind: "security-notice", ...twoFactorRemovedEmail({ byAdmin: false }) });
    await audit({ action: "two_factor.disabled", target: { type: "user", id: user.id } });
    return {};
  },
});
