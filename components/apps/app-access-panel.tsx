"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { setAppRoles, subscribeToApp, subscribeToAppUntil, unsubscribeFromApp } from "@/app/(console)/users/[id]/actions";
import { ExpiryInput } from "@/components/expiry/expiry-input";
import { useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { fromUtcInputValue } from "@/lib/expiry/format";

type App = { key: string; name: string; description: string; roles: { key: string; name: string; isDefault: boolean }[] };
/** `subscribed`: the app roles given by hand, by app; `byRule`: each app role an access rule gives (A7). */
type Props = { userId: string; who: string; apps: App[]; subscribed: Record<string, string[]>; byRule: { appKey: string; role: string; rule: string }[]; canManage: boolean };

/**
 * A8: a member's application access — subscribe (default role given), app roles, unsubscribe.
 * A7: an app role an access rule gives is shown "by rule …", held and locked; an app a rule
 * gives is not unsubscribed by hand (the server refuses it too).
 */
export function AppAccessPanel({ userId, who, apps, subscribed, byRule, canManage }: Props) {
  const router = useRouter();
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<Record<string, string[]>>({});
  const [ends, setEnds] = useState<Record<string, string>>({});
  const runSensitive = useStepUp();

  /** Subscribe: at once, or — with an end chosen (A5) — after "Verify it's you". */
  const subscribe = (app: App) => {
    const typed = ends[app.key] ?? "";
    if (!typed) return run(app.key, () => subscribeToApp({ userId, appKey: app.key }), `${who} now uses ${app.name}.`);
    const expiresAt = fromUtcInputValue(typed);
    if (!expiresAt) return setMessage({ text: "Enter a date and time for the subscription to end, or leave it empty.", tone: "error" });
    return run(
      app.key,
      async () => {
        const result = await runSensitive(subscribeToAppUntil, { userId, appKey: app.key, expiresAt });
        return "cancelled" in result ? { ok: false, error: "Cancelled: nothing was changed." } : result;
      },
      `${who} now uses ${app.name} until ${typed.replace("T", " ")} UTC.`,
    );
  };

  const run = async (appKey: string, step: () => Promise<{ ok: boolean; error?: string }>, done: string) => {
    setBusy(appKey);
    setMessage(null);
    const result = await step();
    setBusy(null);
    setMessage(result.ok ? { text: done, tone: "ok" } : { text: result.error ?? "Something went wrong.", tone: "error" });
    if (result.ok) router.refresh();
  };

  return (
    <div className="space-y-3">
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {apps.map((app) => {
          const rules = byRule.filter((grant) => grant.appKey === app.key);
          const ruleOf = (key: string) => rules.find((grant) => grant.role === key)?.rule;
          const held = subscribed[app.key] || rules.length > 0 ? app.roles.filter((role) => subscribed[app.key]?.includes(role.key) || ruleOf(role.key)) : null;
          const draft = drafts[app.key] ?? held?.map((role) => role.key) ?? [];
          return (
            <li key={app.key} className="space-y-2 p-4">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div>
                  <h3 className="font-medium">{app.name}</h3>
                  <p className="text-xs text-slate-600">{app.description}</p>
                </div>
                <p className="text-sm">{held ? `App roles: ${held.map((role) => (ruleOf(role.key) ? `${role.name} · by rule ${ruleOf(role.key)}` : role.name)).join(", ")}` : "Not subscribed"}</p>
              </div>
              {canManage ? (
                held ? (
                  <form
                    className="flex flex-wrap items-center gap-3"
                    onSubmit={(event) => {
                      event.preventDefault();
                      const roles = [...new Set([...draft, ...rules.map((grant) => grant.role)])];
                      void run(app.key, () => setAppRoles({ userId, appKey: app.key, roles }), `App roles of ${who} in ${app.name} saved.`);
                    }}>
                    <fieldset className="flex flex-wrap gap-3">
                      <legend className="sr-only">App roles in {app.name}</legend>
                      {app.roles.map((role) => (
                        <label key={role.key} className="flex items-center gap-1 text-sm">
                          <input
                            type="checkbox"
                            checked={Boolean(ruleOf(role.key)) || draft.includes(role.key)}
                            disabled={Boolean(ruleOf(role.key))}
                            onChange={(event) => setDrafts({ ...drafts, [app.key]: event.target.checked ? [...draft, role.key] : draft.filter((key) => key !== role.key) })}
                          />
                          {ruleOf(role.key) ? `${role.name} (by rule ${ruleOf(role.key)})` : role.name}
                        </label>
                      ))}
                    </fieldset>
                    <Button type="submit" variant="secondary" busy={busy === app.key} aria-label={`Save app roles in ${app.name}`}>
                      Save app roles
                    </Button>
                    {rules.length > 0 ? (
                      <p className="text-sm text-slate-600">Given by rule {rules.map((grant) => grant.rule).join(", ")}: it goes when the rule stops matching.</p>
                    ) : (
                      <Button type="button" variant="danger" busy={busy === app.key} aria-label={`Unsubscribe from ${app.name}`} onClick={() => run(app.key, () => unsubscribeFromApp({ userId, appKey: app.key }), `${who} no longer uses ${app.name}.`)}>
                        Unsubscribe
                      </Button>
                    )}
                  </form>
                ) : (
                  <div className="flex flex-wrap items-end gap-3">
                    <ExpiryInput id={`app-${app.key}-ends`} label={`${app.name} access ends (optional)`} value={ends[app.key] ?? ""} onChange={(value) => setEnds({ ...ends, [app.key]: value })} hint="In UTC. Leave empty for no end." />
                    <Button variant="secondary" busy={busy === app.key} aria-label={`Subscribe to ${app.name}`} onClick={() => void subscribe(app)}>
                      Subscribe
                    </Button>
                  </div>
                )
              ) : null}
            </li>
          );
        })}
      </ul>
      <p role="status" aria-label="Application access messages" className={`min-h-6 text-sm ${message?.tone === "error" ? "text-red-700" : "text-emerald-700"}`}>
        {message?.text}
      </p>
    </div>
  );
}
