"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { RESET_SENT_MESSAGE, requestPasswordReset } from "@/lib/auth/password-reset";
import { kickEmailDelivery } from "@/lib/email";
import { requestContext } from "@/lib/request";
import { emailField } from "@/lib/team/schemas";

export type ForgotState = { sent?: string; error?: string };

/** The same answer whether or not the address exists. */
export async function forgotPasswordAction(_prev: ForgotState, form: FormData): Promise<ForgotState> {
  const parsed = z.object({ email: emailField }).safeParse({ email: form.get("email") });
  if (!parsed.success) return { error: parsed.error.issues[0].message };
  const db = await getDb();
  const context = await requestContext();
  await db.transaction((tx) => requestPasswordReset(tx, parsed.data.email, context));
  kickEmailDelivery();
  return { sent: RESET_SENT_MESSAGE };
}
