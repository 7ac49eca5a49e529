"use server";

import { eq, sql } from "drizzle-orm";
import QRCode from "qrcode";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { accounts, backupCodes, users } from "@/db/schema";
import { defineAction, refuse, type ActionContext, type AuditEntry } from "@/lib/actions/define-action";
import { confirmCurrentPassword, WRONG_CURRENT_PASSWORD } from "@/lib/auth/current-password";
import { MAX_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { requireUser, type CurrentUser } from "@/lib/auth/session";
import type { StepUpProof } from "@/lib/auth/step-up";
import { enforcementApplies } from "@/lib/auth/two-factor-policy";
import { deletePendingSignIns } from "@/lib/auth/sign-in-grants";
import { describeWait } from "@/lib/auth/throttle";
import { acceptSecondFactor, checkTotp, newBackupCodes, newTotpSecret, secondFactorGuesses, storeBackupCodes, totpUri } from "@/lib/auth/totp";
import { decrypt, encrypt } from "@/lib/crypto";
import { enqueueEmail } from "@/lib/email";
import { twoFactorEnabledEmail, twoFactorRemovedEmail } from "@/lib/email/templates";

type RunContext = ActionContext & { tx: Tx; audit: (entry: AuditEntry) => Promise<void> };

const sixDigits = z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app.");
// Setting 2FA up or turning it off takes a fresh proof that it is the person, not just
// their session: the password (counted with sign-in's limit), or for people without one
// (SSO members) an emailed code (S1). The page asks for whichever `signsInWithPassword` says.
const password = z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(MAX_PASSWORD_LENGTH, WRONG_CURRENT_PASSWORD);

function refuseIfOn(user: CurrentUser) {
  if (user.twoFactorEnabled) refuse("Two-factor authentication is already on.");
}

/** P3 step 1: a new secret, kept encrypted as "pending" until a code from the app confirms it. */
async function storePendingSecret({ tx, user }: RunContext) {
  const secret = newTotpSecret();
  await tx.update(users).set({ totpPendingSecretEncrypted: encrypt(secret) }).where(eq(users.id, user.id));
  const uri = totpUri(secret, user.email);
  // Rendered here, on the server: the secret never depends on client code.
  const qrDataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 1, width: 200 });
  return { secret, uri, qrDataUrl };
}

const startWithPassword = defineAction({
  name: "two_factor.start",
  allowDuringTwoFactorSetup: true,
  input: z.object({ password }),
  check: async (ctx, input) => {
    refuseIfOn(ctx.user);
    await confirmCurrentPassword(ctx, input.password, "two_factor.start");
  },
  run: storePendingSecret,
});

const startWithEmailedCode = defineAction({
  name: "two_factor.start",
  allowDuringTwoFactorSetup: true,
  input: z.object({}),
  check: async ({ user }) => refuseIfOn(user),
  stepUp: (_input, { user }) => ({ targetId: user.id, label: "set up two-factor authentication" }),
  run: storePendingSecret,
});

/** P3 step 1, after a fresh proof: the password, or an emailed code for people without one. */
export async function startTotpEnrolment(input: { password?: string }, proof?: StepUpProof) {
  const user = await requireUser({ allowTwoFactorSetup: true });
  return user.signsInWithPassword ? startWithPassword(input) : startWithEmailedCode(input, proof);
}

/** P3 step 2: a right code from the app turns 2FA on and yields 10 backup codes, shown once. */
export const confirmTotpEnrolment = defineAction({
  name: "two_factor.confirm",
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
    await enqueueEmail(tx, { accountId: user.accountId, to: user.email, kind: "security-notice", ...twoFactorEnabledEmail() });
    await audit({ action: "two_factor.enabled", target: { type: "user", id: user.id } });
    return { backupCodes: codes };
  },
});

const code = z.string().trim().min(1, "Enter a current code or a backup code.").max(32, "That code is not right.");

// Every try is counted before the transaction (a refusal rolls that back), so a stolen
// session cannot guess its way to turning 2FA off.
async function countSecondFactorTry({ db, user }: ActionContext) {
  const quota = await secondFactorGuesses.allow(db, user.id);
  if (!quota.allowed) refuse(`Too many attempts. Try again in ${describeWait(quota.retryAfterSeconds)}.`);
}

/** What turning 2FA off does, whichever proof came with it. */
const turnOff = {
  name: "two_factor.disable",
  run: async ({ tx, user, audit }: RunContext, input: { code: string }) => {
    if (!user.twoFactorEnabled) refuse("Two-factor authentication is already off.");
    const [policy] = await tx.select().from(accounts).where(eq(accounts.id, user.accountId));
    if (enforcementApplies(policy, user)) refuse("Your administrator requires two-factor authentication, so it cannot be turned off.");
    if (!(await acceptSecondFactor(tx, user.id, input.code))) refuse("That code is not right, or it was already used.");
    await tx.update(users).set({ totpSecretEncrypted: null, totpEnabledAt: null, totpLastTimeStep: null }).where(eq(users.id, user.id));
    await tx.delete(backupCodes).where(eq(backupCodes.userId, user.id));
    await deletePendingSignIns(tx, user.id);
    await enqueueEmail(tx, { accountId: user.accountId, to: user.email, kind: "security-notice", ...twoFactorRemovedEmail({ byAdmin: false }) });
    await audit({ action: "two_factor.disabled", target: { type: "user", id: user.id } });
    return {};
  },
} as const;

const turnOffWithPassword = defineAction({
  ...turnOff,
  input: z.object({ code, password }),
  // The password first: a code is counted only when it will be checked.
  check: async (ctx, input) => {
    await confirmCurrentPassword(ctx, input.password, "two_factor.disable");
    await countSecondFactorTry(ctx);
  },
});

const turnOffWithEmailedCode = defineAction({
  ...turnOff,
  input: z.object({ code }),
  // Counted on both calls (the one that asks for the emailed code, and the one with it).
  check: countSecondFactorTry,
  stepUp: (_input, { user }) => ({ targetId: user.id, label: "turn off two-factor authentication" }),
});

/** Turning 2FA off takes a current code and a fresh proof, and is refused while enforcement applies (P4). */
export async function turnOffTotp(input: { code: string; password?: string }, proof?: StepUpProof) {
  const user = await requireUser();
  return user.signsInWithPassword ? turnOffWithPassword(input) : turnOffWithEmailedCode(input, proof);
}
