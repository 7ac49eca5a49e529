"use client";

import { useState } from "react";
import { setTwoFactorEnforcement } from "@/app/(console)/users/actions";
import { useSensitiveSave } from "@/components/step-up/use-sensitive-save";
import { Button } from "@/components/ui/button";
import { RoleCheckboxes, type RoleOption } from "@/components/roles/role-checkboxes";

type Props = { enabled: boolean; graceDays: number; roles: string[] | null; roleOptions: RoleOption[]; deadline: string | null };

/** P4: the Two-Factor Authentication card of User Management. Saving needs step-up. */
export function EnforcementCard(props: Props) {
  const [enabled, setEnabled] = useState(props.enabled);
  const [graceDays, setGraceDays] = useState(String(props.graceDays));
  const [audience, setAudience] = useState<"everyone" | "roles">(props.roles === null ? "everyone" : "roles");
  const [roles, setRoles] = useState<string[]>(props.roles ?? ["admin"]);
  const { save: run, busy, message } = useSensitiveSave(setTwoFactorEnforcement, () => (enabled ? "2FA enforcement is on." : "2FA enforcement is off."));
  const save = (event: React.FormEvent) => {
    event.preventDefault();
    void run({ enabled, graceDays: graceDays === "" ? Number.NaN : Number(graceDays), audience, roles: audience === "roles" ? roles : [] });
  };

  return (
    <section aria-labelledby="enforce-2fa-title" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="enforce-2fa-title" className="text-lg font-medium">
        Two-Factor Authentication
      </h2>
      <form onSubmit={save} className="mt-3 space-y-4" noValidate>
        <label className="flex items-center gap-3 text-sm font-medium">
          <button
            type="button"
            role="switch"
            aria-checked={enabled}
            aria-label="Enforce 2FA"
            onClick={() => setEnabled(!enabled)}
            className={`relative h-6 w-11 shrink-0 rounded-full transition ${enabled ? "bg-brand-600" : "bg-slate-500"}`}
          >
            <span className={`absolute top-0.5 h-5 w-5 rounded-full bg-white shadow transition ${enabled ? "left-5" : "left-0.5"}`} />
          </button>
          Enforce 2FA
        </label>
        <div className="flex flex-wrap gap-6">
          <div className="space-y-1">
            <label htmlFor="grace-days" className="block text-sm font-medium text-slate-700">
              Grace period (days)
            </label>
            <input id="grace-days" type="number" min={0} max={90} value={graceDays} onChange={(e) => setGraceDays(e.target.value)} className="w-28 rounded-md border border-slate-500 px-3 py-2 text-sm" />
          </div>
          <div className="space-y-1">
            <label htmlFor="enforce-scope" className="block text-sm font-medium text-slate-700">
              Applies to
            </label>
            <select id="enforce-scope" value={audience} onChange={(e) => setAudience(e.target.value as "everyone" | "roles")} className="rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
              <option value="everyone">Everyone</option>
              <option value="roles">Chosen roles</option>
            </select>
          </div>
        </div>
        {audience === "roles" ? <RoleCheckboxes legend="Roles that must use 2FA" idPrefix="enforce-role" options={props.roleOptions} value={roles} onChange={setRoles} /> : null}
        {props.enabled && props.deadline ? (
          <p className="text-sm text-slate-600">Members without 2FA must set it up by {new Date(props.deadline).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })}.</p>
        ) : null}
        <div className="flex items-center gap-3">
          <Button type="submit" busy={busy}>
            Save 2FA policy
          </Button>
          <p role="status" aria-live="polite" className={`text-sm ${message?.tone === "error" ? "text-red-700" : "text-emerald-700"}`}>
            {message?.text}
          </p>
        </div>
      </form>
    </section>
  );
}
