import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { SlackConnection } from "@/components/connections/slack-connection";
import { SlackCard } from "@/components/slack/slack-card";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { CopyButton } from "@/components/ui/copy-button";
import { requirePermission } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { findSlackConnection, slackEventsUrl } from "@/lib/slack/settings";

export const metadata: Metadata = { title: "Slack" };

/** B5/I1: the account's Slack workspace, the events URL to give Slack, and who may invoke the bot. */
export default async function SlackSettingsPage() {
  const user = await requirePermission("connections.manage");
  const connection = await findSlackConnection(await getDb(), user.accountId);
  return (
    <section className="max-w-3xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Slack</h1>
        <p className="text-sm text-slate-600">Connect your Slack workspace so people can mention @{config().appName} there.</p>
      </div>
      <section aria-labelledby="slack-events-heading" className="space-y-2">
        <h2 id="slack-events-heading" className="text-lg font-semibold">
          Events request URL
        </h2>
        <p className="text-sm text-slate-600">Paste it into your Slack app&apos;s Event Subscriptions.</p>
        <div className="flex flex-wrap items-center gap-2">
          <code className="rounded bg-slate-100 px-2 py-1 text-sm">{slackEventsUrl()}</code>
          <CopyButton text={slackEventsUrl()} label="Copy the events URL" />
        </div>
      </section>
      <StepUpProvider>
        <SlackConnection connection={connection ? { teamId: connection.teamId, teamName: connection.teamName } : null} />
        {connection ? <SlackCard appName={config().appName} connection={connection} /> : null}
      </StepUpProvider>
    </section>
  );
}
