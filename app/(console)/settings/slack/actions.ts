"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { connectSlack, disconnectSlack, setSlackNonMembers as setNonMembers, slackWorkspaceInput } from "@/lib/slack/settings";

// B5/I1: the account's Slack workspace and who may invoke the bot there; each change asks
// "Verify it's you".
export const connectSlackAction = defineAction({
  name: "slack.connect",
  permission: "connections.manage",
  revalidate: "/settings/slack",
  input: slackWorkspaceInput,
  stepUp: (input) => ({ targetId: input.teamId, label: `connect the Slack workspace ${input.teamName}` }),
  run: (ctx, input) => connectSlack(ctx.tx, ctx.actor, input),
});

export const disconnectSlackAction = defineAction({
  name: "slack.disconnect",
  permission: "connections.manage",
  revalidate: "/settings/slack",
  input: z.object({}),
  stepUp: () => ({ targetId: "slack", label: "disconnect the Slack workspace" }),
  run: (ctx) => disconnectSlack(ctx.tx, ctx.actor),
});

// I1: "Allow non-members to invoke @<product> in Slack".
export const setSlackNonMembers = defineAction({
  name: "slack.non_members",
  permission: "connections.manage",
  revalidate: "/settings/slack",
  input: z.object({ allow: z.boolean() }),
  stepUp: (input) => ({ targetId: "slack", label: input.allow ? "allow non-members in Slack" : "stop non-members in Slack" }),
  run: (ctx, input) => setNonMembers(ctx.tx, ctx.actor, input),
});
