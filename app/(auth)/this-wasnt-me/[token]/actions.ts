"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { kickEmailDelivery } from "@/lib/email";
import { requestContext } from "@/lib/request";
import { confirmThisWasntMe, type ThisWasntMeOutcome } from "@/lib/security-notices/this-wasnt-me";

export type ThisWasntMeState = { outcome?: ThisWasntMeOutcome };

/** O4: the confirmation of "This wasn't me" (a POST: opening the link itself does nothing). */
export async function confirmThisWasntMeAction(_prev: ThisWasntMeState, form: FormData): Promise<ThisWasntMeState> {
  const token = z.string().max(100).safeParse(form.get("token"));
  if (!token.success) return { outcome: { done: false, state: "invalid" } };
  const db = await getDb();
  const context = await requestContext();
  const outcome = await db.transaction((tx) => confirmThisWasntMe(tx, token.data, context));
  kickEmailDelivery();
  return { outcome };
}
