"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { completeSignIn, startSecondFactor } from "@/lib/auth/complete-sign-in";
import { checkPassword, signInSchema } from "@/lib/auth/credentials";
import { safeNextPath } from "@/lib/auth/safe-next";
import { requestContext } from "@/lib/request";

export type SignInState = { error?: string; fieldErrors?: { email?: string; password?: string }; email?: string };

export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  const email = typeof formData.get("email") === "string" ? String(formData.get("email")).slice(0, 320) : "";
  if (!parsed.success) {
    const fieldErrors: SignInState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as "email" | "password";
      fieldErrors[key] ??= issue.message;
    }
    return { fieldErrors, email };
  }
  const db = await getDb();
  const check = await checkPassword(db, parsed.data, await requestContext());
  if (!check.ok) return { error: check.error, email };
  const next = safeNextPath(formData.get("next"));
  if (check.user.twoFactor) {
    // P3: no session exists until the second factor is right.
    await startSecondFactor(db, check.user.id);
    redirect(`/sign-in/verify?next=${encodeURIComponent(next)}`);
  }
  await completeSignIn(db, check.user.id);
  redirect(next);
}
