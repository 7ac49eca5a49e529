import { cookies } from "next/headers";
import type { Executor } from "@/db/client";
import { config } from "@/lib/config";
import { signIn } from "./next-auth";
import { createSignInGrant, SECOND_FACTOR_TTL_SECONDS, type GrantMethod } from "./sign-in-grants";

/** Cookie of the half-signed-in state; only the second-step page reads it. */
export const SECOND_FACTOR_COOKIE = "roster_second_factor";

/** Every factor is checked: open the session through next-auth with a one-time grant (it carries the method, O2). */
export async function completeSignIn(db: Executor, userId: string, method: GrantMethod = "password") {
  const grant = await createSignInGrant(db, userId, "ready", method);
  await signIn("credentials", { grant, redirect: false });
}

/** The password was right and the user has 2FA: remember that, for the second step only. */
export async function startSecondFactor(db: Executor, userId: string) {
  const token = await createSignInGrant(db, userId, "second-factor");
  (await cookies()).set(SECOND_FACTOR_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: config().appUrl.startsWith("https://"),
    path: "/sign-in",
    maxAge: SECOND_FACTOR_TTL_SECONDS,
  });
}
