"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { connectSlackAction, disconnectSlackAction } from "@/app/(console)/settings/slack/actions";
import { failureText, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/** B5: connect the account's Slack workspace (team ID and name), or disconnect it; each after "Verify it's you". */
export function SlackConnection({ connection }: { connection: { teamId: string; teamName: string } | null }) {
  const router = useRouter();
  const runSensitive = useStepUp();
  const [form, setForm] = useState({ teamId: connection?.teamId ?? "", teamName: connection?.teamName ?? "" });
  const [busy, setBusy] = useState<"connect" | "disconnect" | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);

  const connect = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy("connect");
    setMessage(null);
    const result = await runSensitive(connectSlackAction, form);
    setBusy(null);
    if (result.ok) {
      setMessage({ text: `Connected to ${result.data.teamName}.`, tone: "ok" });
      router.refresh();
    } else setMessage({ text: failureText(result), tone: "error" });
  };

  const disconnect = async () => {
    setBusy("disconnect");
    setMessage(null);
    const result = await runSensitive(disconnectSlackAction, {});
    setBusy(null);
    if (result.ok) {
      setMessage({ text: `Disconnected from ${result.data.teamName}.`, tone: "ok" });
      setForm({ teamId: "", teamName: "" });
      router.refresh();
    } else setMessage({ text: failureText(result), tone: "error" });
  };

  return (
    <form onSubmit={connect} aria-label="Slack workspace" className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="slack-team-id" label="Team ID" hint="Starts with T; in Slack, from the workspace's About page." value={form.teamId} onChange={(e) => setForm({ ...form, teamId: e.target.value })} />
        <Field id="slack-team-name" label="Workspace name" value={form.teamName} onChange={(e) => setForm({ ...form, teamName: e.target.value })} />
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" busy={busy === "connect"}>
          {connection ? "Save workspace" : "Connect workspace"}
        </Button>
        {connection ? (
          <Button type="button" variant="danger" busy={busy === "disconnect"} onClick={disconnect}>
            Disconnect workspace
          </Button>
        ) : null}
      </div>
      {message ? (
        <p role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "text-sm text-red-700" : "text-sm text-green-800"}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
