"use server";

import { z } from "zod";
import type { Tx } from "@/db/client";
import { defineAction, refuse, type ActionContext } from "@/lib/actions/define-action";
import { confirmCurrentPassword, WRONG_CURRENT_PASSWORD } from "@/lib/auth/current-password";
import { MAX_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { requireUser, type CurrentUser } from "@/lib/auth/session";
import type { StepUpProof } from "@/lib/auth/step-up";
import { describeWait } from "@/lib/auth/throttle";
import { secondFactorGuesses } from "@/lib/auth/totp";
import { confirmEnrolment, startEnrolment } from "@/lib/two-factor/enrolment";
import { turnOffTwoFactor } from "@/lib/two-factor/turn-off";
import { regenerateBackupCodes } from "@/lib/two-factor/backup-codes";

type RunContext = ActionContext & { tx: Tx };

const sixDigits = z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app.");
// Setting 2FA up or turning it off takes a fresh proof that it is the person, not just
// their session: the password (counted with sign-in's limit), or for people without one
// (SSO members) an emailed code (S1). The page asks for whichever `signsInWithPassword` says.
const password = z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(MAX_PASSWORD_LENGTH, WRONG_CURRENT_PASSWORD);

function refuseIfOn(user: CurrentUser) {
  if (user.totpEnabled) refuse("Two-factor authentication is already on.");
}

/** P3 step 1 (lib/two-factor/enrolment): a pending secret and its QR code. */
const storePendingSecret = ({ tx, user }: RunContext) => startEnrolment(tx, user);

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
  run: ({ tx, user, request }, input) => confirmEnrolment(tx, user, input, request),
});

const code = z.string().trim().min(1, "Enter a current code or a backup code.").max(32, "That code is not right.");

// Every try is counted before the transaction (a refusal rolls that back), so a stolen
// session cannot guess its way to turning 2FA off.
async function countSecondFactorTry({ db, user }: ActionContext) {
  const quota = await secondFactorGuesses.allow(db, user.id);
  if (!quota.allowed) refuse(`Too many attempts. Try again in ${describeWait(quota.retryAfterSeconds)}.`);
}

/** What turning 2FA off does, whichever proof came with it (lib/two-factor/turn-off). */
const turnOff = {
  name: "two_factor.disable",
  run: ({ tx, user, request }: RunContext, input: { code: string }) => turnOffTwoFactor(tx, user, input, request),
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

/** What making new backup codes does, whichever proof came with it (lib/two-factor/backup-codes). */
const newCodes = {
  name: "two_factor.backup_codes",
  run: ({ tx, user, request }: RunContext, input: { code: string }) => regenerateBackupCodes(tx, user, input, request),
} as const;

const newCodesWithPassword = defineAction({
  ...newCodes,
  input: z.object({ code, password }),
  check: async (ctx, input) => {
    await confirmCurrentPassword(ctx, input.password, "two_factor.backup_codes");
    await countSecondFactorTry(ctx);
  },
});

const newCodesWithEmailedCode = defineAction({
  ...newCodes,
  input: z.object({ code }),
  check: countSecondFactorTry,
  stepUp: (_input, { user }) => ({ targetId: user.id, label: "make new backup codes" }),
});

/** P3: new backup codes (the old ones stop working), with a current code and a fresh proof, as for turning 2FA off. */
export async function regenerateBackupCodesAction(input: { code: string; password?: string }, proof?: StepUpProof) {
  const user = await requireUser();
  return user.signsInWithPassword ? newCodesWithPassword(input) : newCodesWithEmailedCode(input, proof);
}
