"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { MAX_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { resetPasswordWithLink } from "@/lib/auth/password-reset";
import { kickEmailDelivery } from "@/lib/email";
import { requestContext } from "@/lib/request";

export type ResetFormState = { done?: boolean; error?: string; fieldErrors?: { password?: string; confirm?: string } };

export async function resetPasswordAction(_prev: ResetFormState, form: FormData): Promise<ResetFormState> {
  const parsed = z
    .object({
      token: z.string().max(100),
      password: z.string().max(MAX_PASSWORD_LENGTH, `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.`),
      confirm: z.string().max(MAX_PASSWORD_LENGTH),
    })
    .safeParse({ token: form.get("token"), password: form.get("password"), confirm: form.get("confirm") });
  if (!parsed.success) return { fieldErrors: { password: parsed.error.issues[0].message } };
  const { token, password, confirm } = parsed.data;
  if (password !== confirm) return { fieldErrors: { confirm: "The passwords do not match." } };
  const db = await getDb();
  const context = await requestContext();
  const outcome = await db.transaction((tx) => resetPasswordWithLink(tx, { token, password }, context));
  kickEmailDelivery();
  return outcome;
}
