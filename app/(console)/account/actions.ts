"use server";

import { eq } from "drizzle-orm";
import { z } from "zod";
import { countOwnLinesOfBusiness, countOwnSubAccounts, updateProfile } from "@/db/queries/profile";
import { users } from "@/db/schema";
import { defineAction, refuse } from "@/lib/actions/define-action";
import { confirmCurrentPassword, WRONG_CURRENT_PASSWORD } from "@/lib/auth/current-password";
import { MAX_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { setNewPassword } from "@/lib/auth/password-reset";
import { describePasswordProblems, newPasswordProblems } from "@/lib/auth/password-strength";
import { toAvatar } from "@/lib/avatar";
import { nameField } from "@/lib/team/schemas";

/** P5: personal details. */
export const updateDetails = defineAction({
  name: "profile.update",
  revalidate: "/account",
  input: z.object({
    name: nameField.pipe(z.string().min(1, "Enter your name.")),
    phone: z
      .string()
      .trim()
      .max(30, "Phone numbers are at most 30 characters.")
      .refine((v) => v === "" || /^\+?[0-9][0-9 ()./-]{5,28}$/.test(v), "Enter a phone number such as +44 20 7946 0958."),
  }),
  run: async ({ tx, user, audit }, input) => {
    // T7: the identity provider owns the name of SSO members.
    if (user.ssoManaged && input.name !== user.name) refuse("Your name comes from your identity provider; change it there.");
    await tx.update(users).set({ name: input.name }).where(eq(users.id, user.id));
    await updateProfile(tx, user.id, { phone: input.phone || null });
    await audit({ action: "profile.updated", target: { type: "user", id: user.id }, details: { fields: ["name", "phone"] } });
    return input;
  },
});

export const uploadAvatar = defineAction({
  name: "profile.avatar",
  revalidate: "/account",
  input: z.instanceof(FormData, { error: "Choose a photo to upload." }).transform((form, ctx) => {
    const photo = form.get("photo");
    if (!(photo instanceof File)) {
      ctx.addIssue({ code: "custom", message: "Choose a photo to upload.", path: ["photo"] });
      return z.NEVER;
    }
    return { photo };
  }),
  run: async ({ tx, user }, input) => {
    const avatar = await toAvatar(input.photo);
    await updateProfile(tx, user.id, { avatar, avatarUpdatedAt: new Date() });
    return {};
  },
});

export const removeAvatar = defineAction({
  name: "profile.avatar_remove",
  revalidate: "/account",
  input: z.object({}),
  run: async ({ tx, user }) => {
    await updateProfile(tx, user.id, { avatar: null, avatarUpdatedAt: null });
    return {};
  },
});

/**
 * P5: change password — other sessions end, a security notice goes out. Wrong current
 * passwords count against the sign-in limit and end this session at it (confirmCurrentPassword).
 */
export const changePassword = defineAction({
  name: "password.change",
  input: z.object({
    current: z.string().min(1, "Enter your current password.").max(MAX_PASSWORD_LENGTH, WRONG_CURRENT_PASSWORD),
    password: z.string().max(MAX_PASSWORD_LENGTH, `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.`),
    confirm: z.string().max(MAX_PASSWORD_LENGTH),
  }),
  check: (ctx, input) => confirmCurrentPassword(ctx, input.current, "password.change"),
  run: async ({ tx, user, request }, input) => {
    const problems = newPasswordProblems(input.password, [user.email, user.name]);
    if (problems.length) refuse(describePasswordProblems(problems));
    if (input.password !== input.confirm) refuse("The new passwords do not match.");
    await setNewPassword(tx, user, input.password, { keepSessionId: user.sessionId, context: request, action: "password.changed" });
    return {};
  },
});

/** P5 preferences: only options the account keeps (A1). */
export const savePreferences = defineAction({
  name: "profile.preferences",
  revalidate: "/account",
  input: z.object({
    defaultLineOfBusinessId: z.uuid({ error: "Choose a line of business." }).nullable(),
    highlightedSubAccountIds: z.array(z.uuid({ error: "Choose sub-accounts from the list." })).max(50, "Highlight at most 50 sub-accounts."),
  }),
  run: async ({ tx, user }, input) => {
    const subIds = [...new Set(input.highlightedSubAccountIds)];
    if (input.defaultLineOfBusinessId && (await countOwnLinesOfBusiness(tx, user.accountId, [input.defaultLineOfBusinessId])) !== 1) {
      refuse("Choose a line of business from the list.");
    }
    if ((await countOwnSubAccounts(tx, user.accountId, subIds)) !== subIds.length) refuse("Choose sub-accounts from the list.");
    await updateProfile(tx, user.id, { defaultLineOfBusinessId: input.defaultLineOfBusinessId, highlightedSubAccountIds: subIds });
    return {};
  },
});

/** P5 communication settings: respected by the product-update sender (lib/email/product-updates). */
export const saveCommunication = defineAction({
  name: "profile.communication",
  revalidate: "/account",
  input: z.object({ productUpdates: z.boolean() }),
  run: async ({ tx, user }, input) => {
    await updateProfile(tx, user.id, { productUpdates: input.productUpdates });
    return input;
  },
});
