"use client";

import type { UnitChoice } from "@/lib/org-units/choices";

type Props = {
  id: string;
  label: string;
  value: string;
  onChange: (unitId: string) => void;
  units: readonly UnitChoice[];
  /** The choice of no unit (its label), when none is allowed. */
  none?: string;
  error?: string;
  className?: string;
};

/** A4: a unit, by its path ("Acme / EMEA / Germany") so two units of one name differ. */
export function UnitSelect({ id, label, value, onChange, units, none, error, className = "" }: Props) {
  return (
    <div className={`space-y-1 ${className}`}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
        {none !== undefined ? <option value="">{none}</option> : null}
        {units.map((unit) => (
          <option key={unit.id} value={unit.id}>
            {unit.path}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
