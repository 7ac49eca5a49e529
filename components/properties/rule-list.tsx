"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createAccessRule, deleteAccessRule, previewAccessRule, updateAccessRule } from "@/app/(console)/properties/actions";
import { failureText, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { RulePreview } from "@/lib/properties/rules";

type Option = { value: string; label: string };
export type RuleItem = { id: string; name: string; propertyId: string; value: string; role: string | null; unitId: string | null; appRoleId: string | null; summary: string; holders: number };
export type RulePropertyChoice = { id: string; label: string; options: Option[] };

const EMPTY = { ruleId: null as string | null, name: "", propertyId: "", value: "", role: "", unitId: "" };
const selectClass = "block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm";
// A8: the grant select holds roles by key and app roles as "app:<ID>"; the action gets them apart.
const APP = "app:";
const grantOf = (rule: RuleItem) => (rule.appRoleId ? `${APP}${rule.appRoleId}` : (rule.role ?? ""));

/**
 * A7: access rules — "people whose Site is Toulouse get Editor on Toulouse plant", or an
 * app role (A8) "… get Publisher in Studio". Before saving, Preview shows who would gain
 * and who would lose it; saving asks "Verify it's you", as a role change does.
 */
export function RuleList({ rules, properties, roles, units, appRoles }: { rules: RuleItem[]; properties: RulePropertyChoice[]; roles: Option[]; units: Option[]; appRoles: Option[] }) {
  const router = useRouter();
  const runSensitive = useStepUp();
  const [form, setForm] = useState(EMPTY);
  const [preview, setPreview] = useState<RulePreview | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);
  const property = properties.find((p) => p.id === form.propertyId);
  const appRoleId = form.role.startsWith(APP) ? form.role.slice(APP.length) : null;
  const input = () => ({ name: form.name, propertyId: form.propertyId, value: form.value, role: appRoleId ? "" : form.role, unitId: appRoleId ? null : form.unitId || null, appRoleId });
  const change = (next: Partial<typeof EMPTY>) => {
    setForm({ ...form, ...next });
    setPreview(null);
  };
  const failed = (result: { error?: string } & object) => setMessage({ text: failureText(result), tone: "error" });

  const showPreview = async () => {
    setBusy("preview");
    setMessage(null);
    const result = await previewAccessRule({ ...input(), ruleId: form.ruleId });
    setBusy(null);
    if (result.ok) setPreview(result.data);
    else failed(result);
  };

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy("save");
    setMessage(null);
    const result = form.ruleId ? await runSensitive(updateAccessRule, { ...input(), ruleId: form.ruleId }) : await runSensitive(createAccessRule, input());
    setBusy(null);
    if (result.ok) {
      setMessage({ text: `${form.name} was saved.`, tone: "ok" });
      setForm(EMPTY);
      setPreview(null);
      router.refresh();
    } else failed(result);
  };

  const remove = async (rule: RuleItem) => {
    setBusy(rule.id);
    setMessage(null);
    const result = await runSensitive(deleteAccessRule, { ruleId: rule.id, name: rule.name });
    setBusy(null);
    if (result.ok) {
      setMessage({ text: `${rule.name} was deleted; ${result.data.revoked} ${result.data.revoked === 1 ? "grant" : "grants"} taken back.`, tone: "ok" });
      router.refresh();
    } else failed(result);
  };

  return (
    <div className="space-y-4">
      {rules.length === 0 ? (
        <p className="text-sm text-slate-600">No access rules yet.</p>
      ) : (
        <ul aria-label="Access rules" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {rules.map((rule) => (
            <li key={rule.id} aria-label={rule.name} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
              <div>
                <p className="font-medium">{rule.name}</p>
                <p className="text-slate-600">
                  {rule.summary} · {rule.holders === 1 ? "1 person" : `${rule.holders} people`}
                </p>
              </div>
              <div className="flex gap-2">
                <Button variant="secondary" aria-label={`Edit ${rule.name}`} onClick={() => (setForm({ ruleId: rule.id, name: rule.name, propertyId: rule.propertyId, value: rule.value, role: grantOf(rule), unitId: rule.unitId ?? "" }), setPreview(null))}>
                  Edit
                </Button>
                <Button variant="secondary" busy={busy === rule.id} aria-label={`Delete ${rule.name}`} onClick={() => remove(rule)}>
                  Delete
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={save} aria-label={form.ruleId ? "Edit rule" : "New rule"} className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <Field id="rule-name" label="Rule name" value={form.name} maxLength={100} onChange={(e) => change({ name: e.target.value })} />
        </div>
        <div className="space-y-1 text-sm">
          <label htmlFor="rule-people-whose" className="block font-medium text-slate-700">People whose</label>
          <select id="rule-people-whose" className={selectClass} value={form.propertyId} onChange={(e) => change({ propertyId: e.target.value, value: "" })}>
            <option value="">Choose a property</option>
            {properties.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        {property && property.options.length > 0 ? (
          <div className="space-y-1 text-sm">
          <label htmlFor="rule-is" className="block font-medium text-slate-700">is</label>
          <select id="rule-is" className={selectClass} value={form.value} onChange={(e) => change({ value: e.target.value })}>
              <option value="">Choose a value</option>
              {property.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <Field id="rule-value" label="is" value={form.value} maxLength={200} onChange={(e) => change({ value: e.target.value })} />
        )}
        <div className="space-y-1 text-sm">
          <label htmlFor="rule-get-the-role" className="block font-medium text-slate-700">get the role</label>
          <select id="rule-get-the-role" className={selectClass} value={form.role} onChange={(e) => change({ role: e.target.value })}>
            <option value="">Choose a role</option>
            <optgroup label="Roles">
              {roles.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </optgroup>
            {appRoles.length > 0 ? (
              <optgroup label="App roles (subscribes them to the application)">
                {appRoles.map((r) => (
                  <option key={r.value} value={`${APP}${r.value}`}>
                    {r.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </div>
        <div className="space-y-1 text-sm">
          <label htmlFor="rule-on" className="block font-medium text-slate-700">on</label>
          {/* An app role is the application's, for the whole account: no unit to choose. */}
          <select id="rule-on" className={selectClass} value={appRoleId ? "" : form.unitId} disabled={Boolean(appRoleId)} onChange={(e) => change({ unitId: e.target.value })}>
            <option value="">The whole account</option>
            {units.map((u) => (
              <option key={u.value} value={u.value}>
                {u.label}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-wrap gap-2 sm:col-span-2">
          <Button type="button" variant="secondary" busy={busy === "preview"} onClick={showPreview}>
            Preview
          </Button>
          <Button type="submit" busy={busy === "save"}>
            Save rule
          </Button>
          {form.ruleId ? (
            <Button type="button" variant="secondary" onClick={() => (setForm(EMPTY), setPreview(null))}>
              Cancel
            </Button>
          ) : null}
        </div>
        {preview ? (
          <div className="grid gap-3 text-sm sm:col-span-2 sm:grid-cols-2">
            <PreviewList title="Would gain access" rows={preview.gain} />
            <PreviewList title="Would lose access" rows={preview.lose} />
          </div>
        ) : null}
      </form>
      {message ? (
        <p role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "text-sm text-red-700" : "text-sm text-green-800"}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}

function PreviewList({ title, rows }: { title: string; rows: RulePreview["gain"] }) {
  return (
    <section aria-label={title}>
      <h3 className="font-medium">{title}</h3>
      {rows.length === 0 ? (
        <p className="text-slate-600">Nobody.</p>
      ) : (
        <ul className="list-disc pl-5">
          {rows.map((row) => (
            <li key={`${row.email}-${row.role}`}>
              {row.name || row.email} ({row.email}): {row.role}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
