"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { setSlackNonMembers } from "@/app/(console)/settings/slack/actions";
import { useStepUp } from "@/components/step-up/step-up-provider";

type Props = { appName: string; connection: { teamId: string; teamName: string; allowNonMembers: boolean } | null };

/** I1: who may invoke the bot in the connected workspace (Settings → Slack). Flipping the switch needs step-up. */
export function SlackCard({ appName, connection }: Props) {
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);
  const [busy, setBusy] = useState(false);
  const runSensitive = useStepUp();
  const router = useRouter();
  const label = `Allow non-members to invoke @${appName} in Slack`;

  const toggle = async () => {
    if (!connection) return;
    setBusy(true);
    setMessage(null);
    const result = await runSensitive(setSlackNonMembers, { allow: !connection.allowNonMembers });
    setBusy(false);
    if (result.ok) {
      setMessage({ text: result.data.allow ? "Non-members can now invoke the bot." : "Only members can now invoke the bot.", tone: "ok" });
      router.refresh();
    } else if ("cancelled" in result) setMessage({ text: "Cancelled: nothing was changed.", tone: "ok" });
    else setMessage({ text: result.error ?? "Something went wrong.", tone: "error" });
  };

  return (
    <section aria-labelledby="slack-card-title" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="slack-card-title" className="text-lg font-medium">
        Who may invoke the bot
      </h2>
      {connection ? (
        <div className="mt-3 space-y-3">
          <p className="text-sm text-slate-700">
            Connected workspace: <strong>{connection.teamName}</strong> <span className="text-slate-500">({connection.teamId})</span>
          </p>
          <div className="flex items-center gap-3 text-sm font-medium">
            <button
              type="button"
              role="switch"
              aria-checked={connection.allowNonMembers}
              aria-label={label}
              disabled={busy}
              onClick={toggle}
              className={`relative h-6 w-11 shrink-0 rounded-full transition ${connection.allowNonMembers ? "bg-brand-600" : "bg-slate-500"}`}
            >
              <span className={`absolute top-0.5 h-5 w-5 rounded-full bg-white shadow transition ${connection.allowNonMembers ? "left-5" : "left-0.5"}`} />
            </button>
            <span aria-hidden="true">{label}</span>
          </div>
          <p className="text-sm text-slate-600">
            {connection.allowNonMembers ? "Anyone in the Slack workspace may mention the bot." : "Only members of this account may mention the bot; others get a polite refusal."}
          </p>
          <p role="status" aria-live="polite" className={`text-sm ${message?.tone === "error" ? "text-red-700" : "text-emerald-700"}`}>
            {message?.text}
          </p>
        </div>
      ) : (
        <p className="mt-3 text-sm text-slate-600">No Slack workspace is connected to this account.</p>
      )}
    </section>
  );
}
