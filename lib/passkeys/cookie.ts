import { cookies } from "next/headers";
import { config } from "@/lib/config";
import { PASSKEY_CHALLENGE_COOKIE, PASSKEY_CHALLENGE_TTL_SECONDS } from "./ceremony";

/** Hands the browser the token of its WebAuthn challenge: httpOnly, so no script can read or answer for it. */
export async function setChallengeCookie(token: string) {
  (await cookies()).set(PASSKEY_CHALLENGE_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    secure: config().appUrl.startsWith("https://"),
    path: "/",
    maxAge: PASSKEY_CHALLENGE_TTL_SECONDS,
  });
}

/** The browser's challenge token, removed from the browser as it is read (a challenge answers once). */
export async function takeChallengeCookie(): Promise<string | undefined> {
  const jar = await cookies();
  const token = jar.get(PASSKEY_CHALLENGE_COOKIE)?.value;
  if (token) jar.delete({ name: PASSKEY_CHALLENGE_COOKIE, path: "/" });
  return token;
}
