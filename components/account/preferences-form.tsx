"use client";

import { saveCommunication, savePreferences } from "@/app/(console)/account/actions";
import { Button } from "@/components/ui/button";
import { FormMessage, useActionForm } from "./use-action-form";

type Option = { id: string; name: string };
type Props = {
  linesOfBusiness: Option[];
  subAccounts: Option[];
  defaultLineOfBusinessId: string | null;
  highlightedSubAccountIds: string[];
};

/** P5 preferences: default line of business and highlighted sub-accounts. */
export function PreferencesForm(props: Props) {
  const preferences = useActionForm(savePreferences, "Your preferences were saved.");
  return (
    <div className="space-y-6">
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const line = String(data.get("line") ?? "");
          void preferences.submit({ defaultLineOfBusinessId: line || null, highlightedSubAccountIds: data.getAll("subAccount").map(String) });
        }}
      >
        <div className="space-y-1">
          <label htmlFor="pref-line" className="block text-sm font-medium text-slate-700">
            Default line of business
          </label>
          <select id="pref-line" name="line" defaultValue={props.defaultLineOfBusinessId ?? ""} className="rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
            <option value="">None</option>
            {props.linesOfBusiness.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-700">Highlighted sub-accounts</legend>
          {props.subAccounts.map((o) => (
            <label key={o.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="subAccount" value={o.id} defaultChecked={props.highlightedSubAccountIds.includes(o.id)} />
              {o.name}
            </label>
          ))}
          {props.subAccounts.length === 0 ? <p className="text-sm text-slate-500">Your account has no sub-accounts.</p> : null}
        </fieldset>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={preferences.busy}>
            Save preferences
          </Button>
          <FormMessage message={preferences.message} />
        </div>
      </form>
    </div>
  );
}

/** P5 communication settings: product-update emails on or off. */
export function CommunicationForm({ productUpdates }: { productUpdates: boolean }) {
  const communication = useActionForm(saveCommunication, "Your communication settings were saved.");
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        void communication.submit({ productUpdates: new FormData(e.currentTarget).get("productUpdates") === "on" });
      }}
    >
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="productUpdates" defaultChecked={productUpdates} />
        Email me product updates
      </label>
      <div className="flex items-center gap-3">
        <Button type="submit" variant="secondary" disabled={communication.busy}>
          Save communication settings
        </Button>
        <FormMessage message={communication.message} />
      </div>
    </form>
  );
}
