import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { passwordResets } from "@/db/schema";

/** Spends one reset link. */
export async function markPasswordResetUsed(db: Executor, resetId: string) {
  await db.update(passwordResets).set({ usedAt: sql`now()` }).where(eq(passwordResets.id, resetId));
}
