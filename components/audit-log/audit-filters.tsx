import type { AuditFilter } from "@/db/queries/audit";
import { Field } from "@/components/ui/field";
import { AUDIT_EVENTS } from "@/lib/audit/events";

const ACTIONS = Object.entries(AUDIT_EVENTS).sort(([, a], [, b]) => a.localeCompare(b));

/** O1: the log's filters as a plain GET form, so every filter lives in the URL (and works without JavaScript). */
export function AuditFilters({ filter }: { filter: AuditFilter }) {
  return (
    <form method="get" action="/audit" role="search" aria-label="Filter the audit log" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3">
      <Field id="audit-actor" name="actor" label="Actor (email or ID)" defaultValue={filter.actor ?? ""} />
      <div className="space-y-1">
        <label htmlFor="audit-action" className="block text-sm font-medium text-slate-700">
          Action
        </label>
        <select id="audit-action" name="action" defaultValue={filter.action ?? ""} className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
          <option value="">Any action</option>
          {ACTIONS.map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <Field id="audit-target" name="target" label="Target (email or ID)" defaultValue={filter.target ?? ""} />
      <Field id="audit-from" name="from" type="date" label="From (UTC)" defaultValue={filter.from ?? ""} />
      <Field id="audit-to" name="to" type="date" label="To (UTC)" defaultValue={filter.to ?? ""} />
      <Field id="audit-q" name="q" type="search" label="Text in the details" defaultValue={filter.q ?? ""} />
      {filter.member ? <input type="hidden" name="member" value={filter.member} /> : null}
      <div className="flex items-end gap-3 sm:col-span-2 lg:col-span-3">
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Apply filters
        </button>
        <a href="/audit" className="text-sm text-brand-700 underline">
          Clear filters
        </a>
      </div>
    </form>
  );
}
