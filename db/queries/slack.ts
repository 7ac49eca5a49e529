import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { slackRequestReceipts } from "@/db/schema";

/** Records a Slack request's signature; false when it was recorded before. */
export async function recordSlackReceipt(db: Executor, signature: string): Promise<boolean> {
  const fresh = await db.insert(slackRequestReceipts).values({ signature }).onConflictDoNothing().returning();
  return fresh.length > 0;
}

/** Forgets old receipts: past 10 minutes a replay fails the ±5-minute timestamp check anyway. */
export async function pruneSlackReceipts(db: Executor) {
  await db.delete(slackRequestReceipts).where(sql`${slackRequestReceipts.receivedAt} < now() - interval '10 minutes'`);
}
