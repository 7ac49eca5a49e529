"use server";

import { z } from "zod";
import { defineAction, type ActionContext } from "@/lib/actions/define-action";
import { confirmCurrentPassword, WRONG_CURRENT_PASSWORD } from "@/lib/auth/current-password";
import { MAX_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { requireUser } from "@/lib/auth/session";
import type { StepUpProof } from "@/lib/auth/step-up";
import { registrationResponseSchema, type RegistrationResponse } from "@/lib/passkeys/ceremony";
import { setChallengeCookie, takeChallengeCookie } from "@/lib/passkeys/cookie";
import { checkRemovePasskey, NO_SUCH_PASSKEY, removeOwnPasskey, renameOwnPasskey } from "@/lib/passkeys/manage";
import { assertRoomForPasskey, finishPasskeyRegistration, startPasskeyRegistration, takeRegistrationChallenge } from "@/lib/passkeys/registration";

// B1: adding or removing a passkey takes a fresh proof that it is the person, as changing
// their 2FA does (account/two-factor/actions.ts): the password, counted with sign-in's
// limit, or for people without one (SSO members) an emailed code (S1).
const password = z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(MAX_PASSWORD_LENGTH, WRONG_CURRENT_PASSWORD);
const name = z
  .string({ error: "Name the passkey." })
  .trim()
  .min(1, "Name the passkey, for example “Work laptop”.")
  .max(64, "Passkey names are at most 64 characters.");
const passkeyId = z.uuid({ error: NO_SUCH_PASSKEY });

/** Step 1 (lib/passkeys/registration): the browser's creation options; the challenge's token goes in an httpOnly cookie. */
const createOptions = {
  name: "passkey.add",
  allowDuringTwoFactorSetup: true,
  run: async ({ tx, user }: ActionContext & { tx: Parameters<typeof startPasskeyRegistration>[0] }) => {
    const { options, token } = await startPasskeyRegistration(tx, user);
    await setChallengeCookie(token);
    return { options };
  },
} as const;

const startWithPassword = defineAction({
  ...createOptions,
  input: z.object({ name, password }),
  check: async (ctx, input) => {
    await assertRoomForPasskey(ctx.db, ctx.user);
    await confirmCurrentPassword(ctx, input.password, "passkey.add");
  },
});

const startWithEmailedCode = defineAction({
  ...createOptions,
  input: z.object({ name }),
  check: (ctx) => assertRoomForPasskey(ctx.db, ctx.user),
  stepUp: (_input, { user }) => ({ targetId: user.id, label: "add a passkey" }),
});

/** Adding a passkey, step 1, after a fresh proof: the password, or an emailed code for people without one. */
export async function startAddingPasskey(input: { name: string; password?: string }, proof?: StepUpProof) {
  const user = await requireUser({ allowTwoFactorSetup: true });
  return user.signsInWithPassword ? startWithPassword(input) : startWithEmailedCode(input, proof);
}

// The challenge is spent in `check`, which commits on its own, so a refused attestation
// cannot be tried again with it; `run` receives its check through the same parsed input.
const spentChallenges = new WeakMap<object, (challenge: string) => boolean>();

/** Adding a passkey, step 2: the authenticator's answer is verified and the passkey stored. */
export const finishAddingPasskey = defineAction({
  name: "passkey.add",
  allowDuringTwoFactorSetup: true,
  revalidate: "/account/security",
  input: z.object({ name, response: registrationResponseSchema }),
  check: async ({ db, user }, input) => {
    spentChallenges.set(input, await takeRegistrationChallenge(db, user, await takeChallengeCookie()));
  },
  run: (ctx, input) =>
    finishPasskeyRegistration(ctx.tx, ctx.actor, { name: input.name, response: input.response as RegistrationResponse, challengeMatches: spentChallenges.get(input)! }),
});

/** Renaming changes no access: no fresh proof, but audited. */
export const renamePasskey = defineAction({
  name: "passkey.rename",
  revalidate: "/account/security",
  input: z.object({ passkeyId, name }),
  run: (ctx, input) => renameOwnPasskey(ctx.tx, ctx.actor, input),
});

const remove = {
  name: "passkey.remove",
  revalidate: "/account/security",
  run: (ctx: ActionContext & { tx: Parameters<typeof removeOwnPasskey>[0] }, input: { passkeyId: string }) => removeOwnPasskey(ctx.tx, ctx.actor, input),
} as const;

const removeWithPassword = defineAction({
  ...remove,
  input: z.object({ passkeyId, password }),
  check: async (ctx, input) => {
    await checkRemovePasskey(ctx.db, ctx.user, input.passkeyId);
    await confirmCurrentPassword(ctx, input.password, "passkey.remove");
  },
});

const removeWithEmailedCode = defineAction({
  ...remove,
  input: z.object({ passkeyId }),
  check: (ctx, input) => checkRemovePasskey(ctx.db, ctx.user, input.passkeyId),
  stepUp: (input) => ({ targetId: input.passkeyId, label: "remove a passkey" }),
});

/** Removing a passkey takes a fresh proof: the password, or an emailed code for people without one. */
export async function removePasskey(input: { passkeyId: string; password?: string }, proof?: StepUpProof) {
  const user = await requireUser();
  return user.signsInWithPassword ? removeWithPassword(input) : removeWithEmailedCode(input, proof);
}
