"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { deleteSession } from "@/db/queries/sessions";
import { signOut } from "@/lib/auth/next-auth";
import { getCurrentUser, requireUser } from "@/lib/auth/session";
import { sendNewStepUpCode, type NewCodeResult } from "@/lib/auth/step-up";
import { kickEmailDelivery } from "@/lib/email";

/** Ends this session in the database, then clears the cookie. */
export async function signOutAction() {
  const user = await getCurrentUser();
  if (user) await deleteSession(await getDb(), user.sessionId);
  await signOut({ redirectTo: "/sign-in" });
}

/** S1 "Send a new code": a fresh code for the same challenge, without redoing the action. */
export async function requestNewStepUpCode(challengeId: unknown): Promise<NewCodeResult> {
  // An SSO member setting 2FA up on "Setup 2FA Required" proves it with an emailed code too;
  // a new code only replaces the code of a challenge this very session started.
  const user = await requireUser({ allowTwoFactorSetup: true });
  const parsed = z.uuid().safeParse(challengeId);
  if (!parsed.success) return { ok: false, error: "This verification is not valid. Start the action again." };
  const db = await getDb();
  const result = await db.transaction((tx) => sendNewStepUpCode(tx, user, parsed.data));
  if (result.ok) kickEmailDelivery();
  return result;
}
