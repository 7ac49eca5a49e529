"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/(console)/account/api-keys/actions";
import { useStepUp } from "@/components/step-up/step-up-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SimpleTable } from "@/components/ui/simple-table";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import type { ApiScope } from "@/lib/api/scopes";
import { ScopeBadges, ScopeChoices } from "./scope-choices";

export type ApiKeyRow = { id: string; name: string; prefix: string; scopes: string[]; createdAt: string; lastUsedAt: string | null; expiresAt: string | null; revokedAt: string | null };

const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const when = (value: string | null, none: string) => (value ? day.format(new Date(value)) : none);

/** P6: create with chosen scopes (step-up, shown once), list with scopes and last use, revoke. */
export function ApiKeysPanel({ keys, availableScopes }: { keys: ApiKeyRow[]; availableScopes: ApiScope[] }) {
  const [created, setCreated] = useState<{ key: string; prefix: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const runSensitive = useStepUp();
  const router = useRouter();

  const create = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const expiry = String(form.get("expiresInDays"));
    setBusy(true);
    setError(null);
    setFieldErrors({});
    setCreated(null);
    const result = await runSensitive(createApiKeyAction, {
      name: String(form.get("name") ?? ""),
      expiresInDays: expiry === "never" ? null : Number(expiry),
      scopes: form.getAll("scopes").map(String) as ApiScope[],
    });
    setBusy(false);
    if (result.ok) {
      setCreated(result.data);
      router.refresh();
    } else if ("cancelled" in result) {
      setError("Cancelled: no key was created.");
    } else if ("fieldErrors" in result && result.fieldErrors) {
      setFieldErrors(result.fieldErrors);
    } else {
      setError(result.error ?? "Something went wrong.");
    }
  };

  const revoke = async (key: ApiKeyRow) => {
    const result = await revokeApiKeyAction({ keyId: key.id });
    if (result.ok) {
      setMessage(`The key ${key.name} (${key.prefix}…) was revoked.`);
      router.refresh();
    } else setMessage(result.error ?? "Something went wrong.");
  };

  return (
    <div className="space-y-6">
      <form onSubmit={create} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-5" noValidate>
        <div className="w-64">
          <Field id="key-name" name="name" label="Key name" maxLength={100} error={fieldErrors.name} required />
        </div>
        <div className="space-y-1">
          <label htmlFor="key-expiry" className="block text-sm font-medium text-slate-700">
            Expires
          </label>
          <select id="key-expiry" name="expiresInDays" defaultValue="90" className="rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
            <option value="30">In 30 days</option>
            <option value="90">In 90 days</option>
            <option value="365">In a year</option>
            <option value="never">Never</option>
          </select>
        </div>
        <ScopeChoices available={availableScopes} error={fieldErrors.scopes} />
        <Button type="submit" busy={busy}>
          Create API key
        </Button>
        {error ? <p role="alert" className="w-full text-sm text-red-700">{error}</p> : null}
      </form>

      {created ? (
        <div role="region" aria-label="New API key" className="space-y-2 rounded-lg border border-emerald-300 bg-emerald-50 p-5">
          <p className="text-sm font-medium text-emerald-900">Copy your new key now. It will not be shown again.</p>
          <div className="flex gap-2">
            <input aria-label="New API key value" readOnly value={created.key} className="flex-1 rounded-md border border-slate-500 bg-white px-3 py-2 font-mono text-sm" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton key={created.key} text={created.key} />
          </div>
        </div>
      ) : null}

      <p role="status" aria-live="polite" className="text-sm text-emerald-700">
        {message}
      </p>
      <SimpleTable caption="Your API keys" headers={["Name", "Key", "Scopes", "Created", "Last used", "Expires", ""]} isEmpty={keys.length === 0} empty="No API keys yet.">
        {keys.map((key) => (
          <tr key={key.id}>
            <td className="px-4 py-3 font-medium">{key.name}</td>
            <td className="px-4 py-3 font-mono">{key.prefix}…</td>
            <td className="px-4 py-3">
              <ScopeBadges scopes={key.scopes} />
            </td>
            <td className="px-4 py-3">{when(key.createdAt, "—")}</td>
            <td className="px-4 py-3">{when(key.lastUsedAt, "Never")}</td>
            <td className="px-4 py-3">{when(key.expiresAt, "Never")}</td>
            <td className="px-4 py-3 text-right">
              {key.revokedAt ? (
                <Badge tone="red">Revoked</Badge>
              ) : key.expiresAt && new Date(key.expiresAt) < new Date() ? (
                <Badge tone="slate">Expired</Badge>
              ) : (
                <Button variant="secondary" aria-label={`Revoke ${key.name}`} onClick={() => revoke(key)}>
                  Revoke
                </Button>
              )}
            </td>
          </tr>
        ))}
      </SimpleTable>
    </div>
  );
}
