import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { invitations } from "@/db/schema";

export async function markInvitationAccepted(db: Executor, invitationId: string) {
  await db.update(invitations).set({ acceptedAt: sql`now()` }).where(eq(invitations.id, invitationId));
}
