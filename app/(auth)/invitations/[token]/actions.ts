"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { completeSignIn } from "@/lib/auth/complete-sign-in";
import { hashPassword, MAX_PASSWORD_LENGTH } from "@/lib/auth/password";
import { passwordProblems } from "@/lib/auth/password-policy";
import { describePasswordProblems, newPasswordProblems } from "@/lib/auth/password-strength";
import { acceptInvitation } from "@/lib/invitations/accept";
import { nameField } from "@/lib/team/schemas";
import { requestContext } from "@/lib/request";

export type AcceptState = {
  error?: string;
  fieldErrors?: { name?: string; password?: string; confirm?: string };
  /** Which typed passwords the form clears: "password" (both) for a guessable one, "confirm" for a mismatch. */
  retype?: "password" | "confirm";
};

const acceptSchema = z
  .object({
    token: z.string().max(100),
    name: nameField.pipe(z.string().min(1, "Enter your name.")),
    password: z
      .string()
      .max(MAX_PASSWORD_LENGTH, `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.`)
      .superRefine((password, ctx) => {
        const problems = newPasswordProblems(password);
        // Guessable although every character rule is met: see AcceptInvitationForm for why that one is re-typed.
        if (problems.length) ctx.addIssue({ code: "custom", message: describePasswordProblems(problems), params: { guessable: passwordProblems(password).length === 0 } });
      }),
    confirm: z.string().max(MAX_PASSWORD_LENGTH),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match." });

/** T2: the invited person sets their name and password; the row turns Active; they are signed in. */
export async function acceptInvitationAction(_prev: AcceptState, form: FormData): Promise<AcceptState> {
  const parsed = acceptSchema.safeParse({ token: form.get("token"), name: form.get("name"), password: form.get("password"), confirm: form.get("confirm") });
  if (!parsed.success) {
    const fieldErrors: AcceptState["fieldErrors"] = {};
    let retype: AcceptState["retype"];
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof NonNullable<AcceptState["fieldErrors"]>;
      if (key === "name" || key === "password" || key === "confirm") fieldErrors[key] ??= issue.message;
      if (key === "password" && issue.code === "custom" && issue.params?.guessable) retype = "password";
      if (key === "confirm" && issue.code === "custom") retype ??= "confirm";
    }
    return { fieldErrors, retype, error: Object.keys(fieldErrors).length ? undefined : "This invitation link is not valid." };
  }
  const { token, name, password } = parsed.data;
  const db = await getDb();
  const context = await requestContext();
  const passwordHash = await hashPassword(password);
  const outcome = await db.transaction((tx) => acceptInvitation(tx, { token, name, passwordHash }, context));
  if ("error" in outcome) return { error: outcome.error };
  await completeSignIn(db, outcome.userId);
  redirect("/account");
}
