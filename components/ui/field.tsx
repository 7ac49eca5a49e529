import type { InputHTMLAttributes, ReactNode } from "react";

/**
 * A labelled input with its hint and error tied to it (aria-describedby) and the error
 * announced. `describedBy` adds the ID of help shown elsewhere, such as password rules.
 */
export function Field({
  label,
  error,
  hint,
  describedBy,
  id,
  "aria-describedby": ariaDescribedBy,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; id: string; error?: string; hint?: ReactNode; describedBy?: string }) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const descriptions = [hint ? hintId : undefined, describedBy, ariaDescribedBy, error ? errorId : undefined].filter(Boolean).join(" ");
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={descriptions || undefined}
        className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm shadow-sm disabled:border-slate-300 disabled:bg-slate-100 disabled:text-slate-600"
        {...props}
      />
      {hint ? (
        <p id={hintId} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
