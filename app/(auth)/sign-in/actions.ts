"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { signInSchema } from "@/lib/auth/credentials";
import { signIn } from "@/lib/auth/next-auth";

export type SignInState = { error?: string; fieldErrors?: { email?: string; password?: string }; email?: string };

/** Only same-site paths: never bounce a signed-in user to another origin. */
function safeNext(value: FormDataEntryValue | null): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/account";
}

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
  try {
    await signIn("credentials", { ...parsed.data, redirect: false });
  } catch (error) {
    if (error instanceof AuthError && error.type === "CredentialsSignin") {
      return { error: (error as AuthError & { code?: string }).code ?? "Incorrect email or password.", email };
    }
    throw error;
  }
  redirect(safeNext(formData.get("next")));
}
