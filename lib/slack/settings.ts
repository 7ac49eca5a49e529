import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { slackConnections } from "@/db/schema";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import type { Actor } from "@/lib/actions/actor";

/** The account's Slack workspace, if one is connected. */
export async function findSlackConnection(db: Executor, accountId: string) {
  const [row] = await db
    .select({ teamId: slackConnections.teamId, teamName: slackConnections.teamName, allowNonMembers: slackConnections.allowNonMembers })
    .from(slackConnections)
    .where(eq(slackConnections.accountId, accountId));
  return row ?? null;
}

/** I1: "Allow non-members to invoke @<product> in Slack". */
export async function setSlackNonMembers(tx: Executor, actor: Actor, input: { allow: boolean }) {
  const updated = await tx
    .update(slackConnections)
    .set({ allowNonMembers: input.allow })
    .where(eq(slackConnections.accountId, actor.principal.accountId))
    .returning({ teamId: slackConnections.teamId });
  if (updated.length === 0) refuse("No Slack workspace is connected to this account.");
  await recordAuditBy(tx, actor, { action: "slack.non_members_changed", target: { type: "slack_team", id: updated[0].teamId }, details: { allowNonMembers: input.allow } });
  return input;
}
