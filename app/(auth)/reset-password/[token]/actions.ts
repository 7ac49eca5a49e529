"use server";

import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { passwordResets, users } from "@/db/schema";
import { MAX_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { lookUpPasswordReset, setNewPassword } from "@/lib/auth/password-reset";
import { describePasswordProblems, newPasswordProblems } from "@/lib/auth/password-strength";
import { kickEmailDelivery } from "@/lib/email";
import { requestContext } from "@/lib/request";

export type ResetFormState = { done?: boolean; error?: string; fieldErrors?: { password?: string; confirm?: string } };

const ENDED = {
  invalid: "This reset link is not valid.",
  expired: "This reset link has expired. Ask for a new one.",
  used: "This reset link has already been used.",
};

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
  const outcome = await db.transaction(async (tx) => {
    const reset = await lookUpPasswordReset(tx, token, true);
    if (reset.state !== "valid") return { error: ENDED[reset.state] };
    const problems = newPasswordProblems(password, [reset.email, reset.name]);
    if (problems.length) return { fieldErrors: { password: describePasswordProblems(problems) } };
    await tx.update(passwordResets).set({ usedAt: sql`now()` }).where(eq(passwordResets.id, reset.resetId));
    const [user] = await tx.select({ id: users.id, accountId: users.accountId, email: users.email }).from(users).where(eq(users.id, reset.userId));
    // Every session ends: whoever knew the old password is out.
    await setNewPassword(tx, user, password, { context, action: "password.reset" });
    return { done: true };
  });
  kickEmailDelivery();
  return outcome;
}
