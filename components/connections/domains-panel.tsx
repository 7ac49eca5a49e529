"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { addDomainAction, removeDomainAction, setDomainPolicyAction, verifyDomainAction } from "@/app/(console)/settings/domains/actions";
import { failureText, useStepUp } from "@/components/step-up/step-up-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import type { JOIN_ROLES } from "@/lib/connections/domains";

type JoinRole = (typeof JOIN_ROLES)[number];

export type DomainItem = {
  id: string;
  domain: string;
  verified: boolean;
  record: { name: string; type: "TXT"; value: string };
  joinMode: "auto" | "approval";
  defaultRole: JoinRole;
};

/** B5: the account's domains — add, publish the TXT record, verify, choose who joins. */
export function DomainsPanel({ domains, roles }: { domains: DomainItem[]; roles: { key: JoinRole; name: string }[] }) {
  const router = useRouter();
  const runSensitive = useStepUp();
  const [newDomain, setNewDomain] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);
  const [policies, setPolicies] = useState(() => Object.fromEntries(domains.map((d) => [d.id, { joinMode: d.joinMode, defaultRole: d.defaultRole }])));

  const finish = (result: { ok: boolean } & object, okText: string) => {
    setBusy(null);
    if (result.ok) {
      setMessage({ text: okText, tone: "ok" });
      router.refresh();
    } else setMessage({ text: failureText(result), tone: "error" });
  };

  const add = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy("add");
    setMessage(null);
    const result = await addDomainAction({ domain: newDomain });
    finish(result, `${newDomain.trim().toLowerCase()} was added. Publish its TXT record, then verify it.`);
    if (result.ok) setNewDomain("");
  };

  return (
    <div className="space-y-6">
      <ul className="space-y-4">
        {domains.map((d) => {
          const policy = policies[d.id] ?? { joinMode: d.joinMode, defaultRole: d.defaultRole };
          return (
            <li key={d.id}>
              <section aria-label={d.domain} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
                <div className="flex flex-wrap items-center gap-2">
                  <h2 className="text-lg font-medium">{d.domain}</h2>
                  {d.verified ? <Badge tone="green">Verified</Badge> : <Badge tone="amber">Not verified</Badge>}
                </div>
                {d.verified ? (
                  <div className="flex flex-wrap items-end gap-3 text-sm">
                    <label className="space-y-1">
                      <span className="block font-medium text-slate-700">People of {d.domain} signing in through the identity provider</span>
                      <select
                        className="block rounded-md border border-slate-500 bg-white px-3 py-2"
                        value={policy.joinMode}
                        onChange={(e) => setPolicies({ ...policies, [d.id]: { ...policy, joinMode: e.target.value as "auto" | "approval" } })}
                      >
                        <option value="auto">Join automatically</option>
                        <option value="approval">Wait for approval (team table and this page)</option>
                      </select>
                    </label>
                    <label className="space-y-1">
                      <span className="block font-medium text-slate-700">Default role</span>
                      <select
                        className="block rounded-md border border-slate-500 bg-white px-3 py-2"
                        value={policy.defaultRole}
                        onChange={(e) => setPolicies({ ...policies, [d.id]: { ...policy, defaultRole: e.target.value as JoinRole } })}
                      >
                        {roles.map((role) => (
                          <option key={role.key} value={role.key}>
                            {role.name}
                          </option>
                        ))}
                      </select>
                    </label>
                    <Button
                      busy={busy === `policy:${d.id}`}
                      aria-label={`Save who joins from ${d.domain}`}
                      onClick={async () => {
                        setBusy(`policy:${d.id}`);
                        setMessage(null);
                        finish(await runSensitive(setDomainPolicyAction, { domainId: d.id, ...policy }), `Saved who joins from ${d.domain}.`);
                      }}
                    >
                      Save
                    </Button>
                  </div>
                ) : (
                  <div className="space-y-2 text-sm">
                    <p className="text-slate-700">Publish this TXT record at your DNS provider, then verify. Until then the domain grants nothing.</p>
                    <dl className="grid gap-x-3 gap-y-1 sm:grid-cols-[auto_1fr]">
                      <dt className="font-medium">Name</dt>
                      <dd className="font-mono text-xs">{d.record.name}</dd>
                      <dt className="font-medium">Type</dt>
                      <dd className="font-mono text-xs">TXT</dd>
                      <dt className="font-medium">Value</dt>
                      <dd className="font-mono text-xs">{d.record.value}</dd>
                    </dl>
                    <div className="flex flex-wrap gap-2">
                      <CopyButton text={d.record.value} label="Copy the value" />
                      <Button
                        busy={busy === `verify:${d.id}`}
                        aria-label={`Verify ${d.domain}`}
                        onClick={async () => {
                          setBusy(`verify:${d.id}`);
                          setMessage(null);
                          finish(await verifyDomainAction({ domainId: d.id }), `${d.domain} is verified.`);
                        }}
                      >
                        Verify
                      </Button>
                    </div>
                  </div>
                )}
                <Button
                  variant="secondary"
                  busy={busy === `remove:${d.id}`}
                  aria-label={`Remove ${d.domain}`}
                  onClick={async () => {
                    setBusy(`remove:${d.id}`);
                    setMessage(null);
                    finish(await runSensitive(removeDomainAction, { domainId: d.id }), `${d.domain} was removed.`);
                  }}
                >
                  Remove
                </Button>
              </section>
            </li>
          );
        })}
      </ul>
      {domains.length === 0 ? <p className="text-sm text-slate-600">No domains yet.</p> : null}
      <form onSubmit={add} aria-label="Add a domain" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4">
        <Field id="new-domain" label="Domain" placeholder="example.com" value={newDomain} onChange={(e) => setNewDomain(e.target.value)} />
        <Button type="submit" busy={busy === "add"}>
          Add domain
        </Button>
      </form>
      {message ? (
        <p role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "text-sm text-red-700" : "text-sm text-green-800"}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
