"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { confirmCurrentPassword, WRONG_CURRENT_PASSWORD } from "@/lib/auth/current-password";
import { changeOwnPassword } from "@/lib/auth/password-change";
import { MAX_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { deleteAvatar, saveAvatar } from "@/lib/profile/avatar";
import { updatePersonalDetails } from "@/lib/profile/details";
import { setProductUpdates, updatePreferences } from "@/lib/profile/preferences";
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
  run: ({ tx, user, request }, input) => updatePersonalDetails(tx, user, input, request),
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
  run: ({ tx, user }, input) => saveAvatar(tx, user, input.photo),
});

export const removeAvatar = defineAction({
  name: "profile.avatar_remove",
  revalidate: "/account",
  input: z.object({}),
  run: ({ tx, user }) => deleteAvatar(tx, user),
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
  run: ({ tx, user, request }, input) => changeOwnPassword(tx, user, input, request),
});

/** P5 preferences (lib/profile/preferences). */
export const savePreferences = defineAction({
  name: "profile.preferences",
  revalidate: "/account",
  input: z.object({
    defaultLineOfBusinessId: z.uuid({ error: "Choose a line of business." }).nullable(),
    highlightedSubAccountIds: z.array(z.uuid({ error: "Choose sub-accounts from the list." })).max(50, "Highlight at most 50 sub-accounts."),
  }),
  run: ({ tx, user }, input) => updatePreferences(tx, user, input),
});

/** P5 communication settings (lib/profile/preferences). */
export const saveCommunication = defineAction({
  name: "profile.communication",
  revalidate: "/account",
  input: z.object({ productUpdates: z.boolean() }),
  run: ({ tx, user }, input) => setProductUpdates(tx, user, input),
});
