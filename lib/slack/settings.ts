import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { slackConnections } from "@/db/schema";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import type { Actor } from "@/lib/actions/actor";
import { config } from "@/lib/config";
import { accountOf, auditConnection, type ConnectionsBy } from "@/lib/connections/by";

export const slackWorkspaceInput = z.object({
  teamId: z
    .string()
    .trim()
    .regex(/^T[A-Z0-9]{2,20}$/, "A Slack team ID starts with T, such as T0123ABCD."),
  teamName: z.string().trim().min(1, "Enter the workspace's name.").max(100),
});

/** Where Slack sends events: paste it into the Slack app's Event Subscriptions. */
export const slackEventsUrl = () => `${config().appUrl}/api/slack/events`;

/** B5/I1: connects the account to a Slack workspace (or renames it); one account per workspace. */
export async function connectSlack(tx: Executor, by: ConnectionsBy, input: z.output<typeof slackWorkspaceInput>) {
  const accountId = accountOf(by);
  const [taken] = await tx
    .select({ accountId: slackConnections.accountId })
    .from(slackConnections)
    .where(and(eq(slackConnections.teamId, input.teamId), ne(slackConnections.accountId, accountId)));
  if (taken) refuse("That Slack workspace is connected to another account.");
  await tx.insert(slackConnections).values({ accountId, ...input }).onConflictDoUpdate({ target: slackConnections.accountId, set: input });
  await auditConnection(tx, by, { action: "slack.connected", target: { type: "slack_team", id: input.teamId }, details: { teamName: input.teamName } });
  return { ...input, eventsUrl: slackEventsUrl() };
}

/** B5: the bot stops answering in that workspace at once. */
export async function disconnectSlack(tx: Executor, by: ConnectionsBy) {
  const removed = await tx.delete(slackConnections).where(eq(slackConnections.accountId, accountOf(by))).returning({ teamId: slackConnections.teamId, teamName: slackConnections.teamName });
  if (removed.length === 0) refuse("No Slack workspace is connected to this account.", "not_found");
  await auditConnection(tx, by, { action: "slack.disconnected", target: { type: "slack_team", id: removed[0].teamId }, details: { teamName: removed[0].teamName } });
  return removed[0];
}

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
