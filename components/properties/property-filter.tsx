/**
 * A7: the team table's property filter — a plain GET form (the URL keeps it, as it keeps
 * the table's other filters, which ride along as hidden fields).
 */
export function PropertyFilter({ properties, current, keep }: { properties: { key: string; label: string }[]; current: { key: string; value: string } | null; keep: Record<string, string | undefined> }) {
  if (properties.length === 0) return null;
  return (
    <form method="get" action="/users" aria-label="Filter by property" className="flex flex-wrap items-end gap-2 text-sm">
      {Object.entries(keep).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <div className="flex flex-col gap-1">
        <label htmlFor="property-filter-key" className="text-slate-700">
          Property
        </label>
        <select id="property-filter-key" name="prop" defaultValue={current?.key ?? ""} className="rounded-md border border-slate-300 px-2 py-1.5">
          <option value="">Any property</option>
          {properties.map((property) => (
            <option key={property.key} value={property.key}>
              {property.label}
            </option>
          ))}
        </select>
      </div>
      <label className="flex flex-col gap-1">
        <span className="text-slate-700">Property value</span>
        <input name="value" defaultValue={current?.value ?? ""} className="rounded-md border border-slate-300 px-2 py-1.5" />
      </label>
      <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50">
        Filter by property
      </button>
    </form>
  );
}
