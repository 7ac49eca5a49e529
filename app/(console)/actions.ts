"use server";

import { getDb } from "@/db/client";
import { deleteSession } from "@/db/queries/sessions";
import { signOut } from "@/lib/auth/next-auth";
import { getCurrentUser } from "@/lib/auth/session";

/** Ends this session in the database, then clears the cookie. */
export async function signOutAction() {
  const user = await getCurrentUser();
  if (user) await deleteSession(await getDb(), user.sessionId);
  await signOut({ redirectTo: "/sign-in" });
}
