import { and, eq, isNull, or } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { profiles, users } from "@/db/schema";
import { enqueueEmail } from "./outbox";

/**
 * P5 communication settings: a product-update email goes only to active members who
 * have not turned product updates off. Returns how many were queued.
 */
export async function queueProductUpdate(tx: Executor, accountId: string, message: { subject: string; text: string }) {
  const recipients = await tx
    .select({ email: users.email })
    .from(users)
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .where(and(eq(users.accountId, accountId), eq(users.status, "active"), or(isNull(profiles.productUpdates), eq(profiles.productUpdates, true))));
  for (const { email } of recipients) {
    await enqueueEmail(tx, { accountId, to: email, kind: "product-update", subject: message.subject, text: message.text });
  }
  return recipients.length;
}
