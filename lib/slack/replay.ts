import type { Executor } from "@/db/client";
import { pruneSlackReceipts, recordSlackReceipt } from "@/db/queries/slack";

/**
 * I1: a signature is unique to its timestamp and body: seeing it twice means a replay.
 * True the first time a (verified) signature is seen; old receipts are pruned on the way.
 */
export async function firstReceiptOf(db: Executor, signature: string): Promise<boolean> {
  if (!(await recordSlackReceipt(db, signature))) return false;
  await pruneSlackReceipts(db);
  return true;
}
