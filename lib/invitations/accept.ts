import type { Tx } from "@/db/client";
import { markInvitationAccepted } from "@/db/queries/invitations";
import { activateInvitedUser } from "@/db/queries/users";
import { recordAudit } from "@/lib/audit";
import type { RequestContext } from "@/lib/request";
import { lookUpInvitation, type InvitationState } from "@/lib/team/invitations";

const ENDED: Record<Exclude<InvitationState["state"], "valid">, string> = {
  invalid: "This invitation link is not valid.",
  expired: "This invitation has expired. Ask your administrator for a new one.",
  revoked: "This invitation was revoked.",
  accepted: "This invitation has already been accepted. Sign in instead.",
};

/**
 * T2: the invited person sets their name and password and the row turns Active, audited
 * in the caller's transaction. Returns who to sign in, or why the link no longer works.
 * The password comes hashed: the slow hash runs before the transaction, not inside it.
 */
export async function acceptInvitation(
  tx: Tx,
  input: { token: string; name: string; passwordHash: string },
  context: RequestContext,
): Promise<{ userId: string } | { error: string }> {
  // Locked: two tabs accepting at once, only one wins.
  const invitation = await lookUpInvitation(tx, input.token, true);
  if (invitation.state !== "valid") return { error: ENDED[invitation.state] };
  await markInvitationAccepted(tx, invitation.invitationId);
  const user = await activateInvitedUser(tx, invitation.userId, { name: input.name, passwordHash: input.passwordHash });
  await recordAudit(tx, {
    accountId: user.accountId,
    actorId: invitation.userId,
    action: "invitation.accepted",
    target: { type: "user", id: invitation.userId },
    details: { email: invitation.email },
    context,
  });
  return { userId: invitation.userId };
}
