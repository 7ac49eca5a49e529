import { WebClient } from "@slack/web-api";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { slackConnections, users } from "@/db/schema";
import { config } from "@/lib/config";

export type Mention = { teamId: string; userId: string; channel: string; ts: string; threadTs?: string; text: string };
export type MentionOutcome = "allowed-member" | "allowed-non-members-on" | "refused" | "unknown-team";

let client: WebClient | undefined;
function slack(): WebClient {
  const { botToken, apiUrl } = config().slack;
  client ??= new WebClient(botToken, {
    // Tests point this at a local mock Slack; it must end with a slash.
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/` } : {}),
    retryConfig: { retries: 1 },
  });
  return client;
}

/**
 * I1: who may invoke the bot. A member of the account that owns the Slack workspace
 * (matched by their Slack email) always may; anyone else only while "Allow non-members"
 * is on. Refused people get a polite answer in the thread.
 */
export async function handleMention(db: Executor, mention: Mention): Promise<MentionOutcome> {
  const [connection] = await db.select().from(slackConnections).where(eq(slackConnections.teamId, mention.teamId));
  if (!connection) return "unknown-team";
  const { appName } = config();
  const thread = mention.threadTs ?? mention.ts;

  let email: string | undefined;
  try {
    const info = await slack().users.info({ user: mention.userId });
    email = info.user?.profile?.email?.toLowerCase();
  } catch (error) {
    console.warn("[slack] users.info failed", error instanceof Error ? error.message : error);
  }
  const [member] = email
    ? await db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.accountId, connection.accountId), eq(users.email, email), eq(users.status, "active")))
        .limit(1)
    : [];

  const outcome: MentionOutcome = member ? "allowed-member" : connection.allowNonMembers ? "allowed-non-members-on" : "refused";
  const text =
    outcome === "refused"
      ? `Sorry <@${mention.userId}>, only members of ${appName} for this workspace can ask me things here. An administrator can invite you, or allow non-members in ${appName}.`
      : `On it, <@${mention.userId}>! (${appName} received your request.)`;
  await slack().chat.postMessage({ channel: mention.channel, thread_ts: thread, text });
  return outcome;
}
