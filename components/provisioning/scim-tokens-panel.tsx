"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createScimTokenAction, revokeScimTokenAction } from "@/app/(console)/settings/provisioning/actions";
import { useStepUp } from "@/components/step-up/step-up-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { SimpleTable } from "@/components/ui/simple-table";

export type ScimTokenRow = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null; createdByEmail: string | null };

const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const when = (value: string | null, none: string) => (value ? `${day.format(new Date(value))} UTC` : none);

/** B3: create a SCIM token (step-up, shown once), see when each was last used, revoke. */
export function ScimTokensPanel({ tokens, refusal }: { tokens: ScimTokenRow[]; refusal: string | null }) {
  const [created, setCreated] = useState<{ token: string; prefix: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const runSensitive = useStepUp();
  const router = useRouter();

  const create = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    setFieldErrors({});
    setCreated(null);
    const result = await runSensitive(createScimTokenAction, { name: String(form.get("name") ?? "") });
    setBusy(false);
    if (result.ok) {
      setCreated(result.data);
      router.refresh();
    } else if ("cancelled" in result) setError("Cancelled: no token was created.");
    else if ("fieldErrors" in result && result.fieldErrors) setFieldErrors(result.fieldErrors);
    else setError(result.error ?? "Something went wrong.");
  };

  const revoke = async (token: ScimTokenRow) => {
    const result = await revokeScimTokenAction({ tokenId: token.id });
    if (result.ok) {
      setMessage(`The token ${token.name} (${token.prefix}…) was revoked: your identity provider can no longer use it.`);
      router.refresh();
    } else setMessage(result.error ?? "Something went wrong.");
  };

  return (
    <section aria-labelledby="scim-tokens-title" className="space-y-4">
      <h2 id="scim-tokens-title" className="text-lg font-medium">
        SCIM tokens
      </h2>
      {refusal ? (
        <p className="text-sm text-slate-700">{refusal}</p>
      ) : (
        <form onSubmit={create} aria-label="Create a SCIM token" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-5" noValidate>
          <div className="w-72">
            <Field id="scim-token-name" name="name" label="Token name" maxLength={100} error={fieldErrors.name} required />
          </div>
          <Button type="submit" busy={busy}>
            Create SCIM token
          </Button>
          {error ? (
            <p role="alert" className="w-full text-sm text-red-700">
              {error}
            </p>
          ) : null}
        </form>
      )}

      {created ? (
        <div role="region" aria-label="New SCIM token" className="space-y-2 rounded-lg border border-emerald-300 bg-emerald-50 p-5">
          <p className="text-sm font-medium text-emerald-900">Copy the token into your identity provider now. It will not be shown again.</p>
          <div className="flex gap-2">
            <input aria-label="New SCIM token value" readOnly value={created.token} className="flex-1 rounded-md border border-slate-500 bg-white px-3 py-2 font-mono text-sm" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton key={created.token} text={created.token} />
          </div>
        </div>
      ) : null}

      <p role="status" aria-live="polite" className="text-sm text-emerald-700">
        {message}
      </p>
      <SimpleTable caption="SCIM tokens" headers={["Name", "Token", "Created", "Last used", ""]} isEmpty={tokens.length === 0} empty="No SCIM tokens yet.">
        {tokens.map((token) => (
          <tr key={token.id}>
            <td className="px-4 py-3 font-medium">{token.name}</td>
            <td className="px-4 py-3 font-mono">{token.prefix}…</td>
            <td className="px-4 py-3">
              {when(token.createdAt, "—")}
              {token.createdByEmail ? <span className="block text-xs text-slate-600">by {token.createdByEmail}</span> : null}
            </td>
            <td className="px-4 py-3">{when(token.lastUsedAt, "Never")}</td>
            <td className="px-4 py-3 text-right">
              {token.revokedAt ? (
                <Badge tone="red">Revoked</Badge>
              ) : (
                <Button variant="secondary" aria-label={`Revoke ${token.name}`} onClick={() => revoke(token)}>
                  Revoke
                </Button>
              )}
            </td>
          </tr>
        ))}
      </SimpleTable>
    </section>
  );
}
