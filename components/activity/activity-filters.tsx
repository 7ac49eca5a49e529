import type { ActivityFilter } from "@/db/queries/activity";
import { Field } from "@/components/ui/field";
import { SIGN_IN_METHODS, SIGN_IN_RESULTS } from "@/lib/activity/results";

const selectClass = "block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm";

/** O2: the Activity page's filters as a plain GET form, so every filter lives in the URL (and works without JavaScript). */
export function ActivityFilters({ filter }: { filter: ActivityFilter }) {
  return (
    <form method="get" action="/activity" role="search" aria-label="Filter sign-in activity" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3">
      <div className="space-y-1">
        <label htmlFor="activity-result" className="block text-sm font-medium text-slate-700">
          Result
        </label>
        <select id="activity-result" name="result" defaultValue={filter.result ?? ""} className={selectClass}>
          <option value="">All attempts</option>
          <option value="failed">Failed only</option>
          {Object.entries(SIGN_IN_RESULTS).map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-1">
        <label htmlFor="activity-method" className="block text-sm font-medium text-slate-700">
          Method
        </label>
        <select id="activity-method" name="method" defaultValue={filter.method ?? ""} className={selectClass}>
          <option value="">Any method</option>
          {Object.entries(SIGN_IN_METHODS).map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <Field id="activity-person" name="person" label="Person (email or ID)" defaultValue={filter.person ?? ""} />
      <Field id="activity-from" name="from" type="date" label="From (UTC)" defaultValue={filter.from ?? ""} />
      <Field id="activity-to" name="to" type="date" label="To (UTC)" defaultValue={filter.to ?? ""} />
      <div className="flex items-end gap-3 sm:col-span-2 lg:col-span-1">
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Apply filters
        </button>
        <a href="/activity" className="text-sm text-brand-700 underline">
          Clear filters
        </a>
      </div>
    </form>
  );
}
