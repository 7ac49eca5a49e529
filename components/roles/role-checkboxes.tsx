"use client";

/** `locked`: shown as held or not, but not the viewer's to give or take (A3). */
export type RoleOption = { key: string; name: string; description: string; locked?: boolean; byRule?: string };

type Props = { legend: string; options: readonly RoleOption[]; value: readonly string[]; onChange: (value: string[]) => void; error?: string; idPrefix: string };

/** A3: a choice of roles — several at once; their permissions add up. */
export function RoleCheckboxes({ legend, options, value, onChange, error, idPrefix }: Props) {
  const toggle = (key: string, checked: boolean) => onChange(checked ? [...value, key] : value.filter((held) => held !== key));
  return (
    <fieldset className="space-y-2" aria-describedby={error ? `${idPrefix}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <ul className="max-h-64 space-y-1 overflow-y-auto">
        {options.map((option) => (
          <li key={option.key} className="flex items-start gap-2">
            <input
              id={`${idPrefix}-${option.key}`}
              type="checkbox"
              checked={value.includes(option.key)}
              onChange={(event) => toggle(option.key, event.target.checked)}
              disabled={option.locked}
              aria-describedby={`${idPrefix}-${option.key}-description`}
              className="mt-1 h-4 w-4"
            />
            <div className="text-sm">
              <label htmlFor={`${idPrefix}-${option.key}`} className="font-medium">
                {option.name}
              </label>
              <span id={`${idPrefix}-${option.key}-description`} className="block text-xs text-slate-600">
                {option.description}
                {option.byRule ? ` (Given by rule ${option.byRule}: it goes when the rule stops matching.)` : option.locked ? " (You cannot give or take this role.)" : ""}
              </span>
            </div>
          </li>
        ))}
      </ul>
      {error ? (
        <p id={`${idPrefix}-error`} className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
