import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor, Tx } from "@/db/client";
import { accounts, invitations, users } from "@/db/schema";
import { config } from "@/lib/config";
import { randomToken, sha256 } from "@/lib/crypto";
import { enqueueEmail } from "@/lib/email";
import { invitationEmail } from "@/lib/email/templates";

export const INVITATION_TTL_DAYS = 7;

/** Creates an invitation for an invited member and queues its email (same transaction). */
export async function sendInvitation(
  tx: Tx,
  inviter: { id: string; name: string; email: string; accountId: string },
  invitee: { id: string; email: string },
) {
  const token = randomToken(32);
  await tx.insert(invitations).values({
    accountId: inviter.accountId,
    userId: invitee.id,
    email: invitee.email,
    tokenHash: sha256(token),
    invitedBy: inviter.id,
    expiresAt: sql`now() + make_interval(days => ${INVITATION_TTL_DAYS})`,
  });
  const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, inviter.accountId));
  await enqueueEmail(tx, {
    accountId: inviter.accountId,
    to: invitee.email,
    kind: "invitation",
    ...invitationEmail({
      inviterName: inviter.name || inviter.email,
      accountName: account.name,
      // Built from configuration, never from the request's Host header.
      link: `${config().appUrl}/invitations/${token}`,
    }),
  });
}

/** Ends every open invitation of a member (before a resend, or on revoke). */
export async function revokeOpenInvitations(tx: Executor, userId: string) {
  await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invitations.userId, userId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
}

export type InvitationState =
  | { state: "valid"; invitationId: string; userId: string; email: string; name: string; accountName: string }
  | { state: "invalid" | "expired" | "revoked" | "accepted" };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** What an invitation link leads to. A tampered or unknown token is simply "invalid". */
export async function lookUpInvitation(db: Executor, token: string, lock = false): Promise<InvitationState> {
  if (!TOKEN_SHAPE.test(token)) return { state: "invalid" };
  const query = db
    .select({
      invitation: invitations,
      expired: sql<boolean>`${invitations.expiresAt} <= now()`,
      user: { id: users.id, status: users.status, name: users.name, email: users.email },
      accountName: accounts.name,
    })
    .from(invitations)
    .innerJoin(accounts, eq(accounts.id, invitations.accountId))
    .leftJoin(users, eq(users.id, invitations.userId))
    .where(eq(invitations.tokenHash, sha256(token)))
    .limit(1);
  const [row] = lock ? await query.for("update", { of: invitations }) : await query;
  if (!row) return { state: "invalid" };
  if (row.invitation.acceptedAt) return { state: "accepted" };
  if (row.invitation.revokedAt || !row.user) return { state: "revoked" };
  if (row.expired) return { state: "expired" };
  if (row.user.status !== "invited") return { state: "accepted" };
  return { state: "valid", invitationId: row.invitation.id, userId: row.user.id, email: row.user.email, name: row.user.name, accountName: row.accountName };
}
