import { and, asc, eq, isNull, or } from "drizzle-orm";
import type { Db, Executor } from "@/db/client";
import { accounts, profiles, users } from "@/db/schema";
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

/**
 * The vendor's announcement (`npm run product-update`): queued for every account, or one
 * account by name, each account in its own transaction. The console's delivery worker
 * sends them; members who turned product updates off get nothing.
 */
export async function announceProductUpdate(db: Db, message: { subject: string; text: string }, accountName?: string) {
  const subject = message.subject.trim();
  const text = message.text.trim();
  if (!subject || subject.length > 200) throw new Error("The subject must be 1 to 200 characters.");
  if (!text || text.length > 20_000) throw new Error("The text must be 1 to 20,000 characters.");
  const targets = await db
    .select({ id: accounts.id, name: accounts.name })
    .from(accounts)
    .where(accountName ? eq(accounts.name, accountName) : undefined)
    .orderBy(asc(accounts.name));
  if (accountName && targets.length === 0) throw new Error(`No account named "${accountName}".`);
  const results: { account: string; queued: number }[] = [];
  for (const account of targets) {
    results.push({ account: account.name, queued: await db.transaction((tx) => queueProductUpdate(tx, account.id, { subject, text })) });
  }
  return results;
}
