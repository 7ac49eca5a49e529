"use client";

import { Field } from "@/components/ui/field";

type Props = { id: string; label: string; value: string; onChange: (value: string) => void; error?: string; hint?: string };

/**
 * A5: a date and time in UTC (the console's time zone for expiries: what is typed is what
 * the badges and emails say). The value is a datetime-local string ("2027-03-01T09:00").
 */
export function ExpiryInput({ id, label, value, onChange, error, hint }: Props) {
  return <Field id={id} type="datetime-local" label={label} value={value} onChange={(event) => onChange(event.target.value)} error={error} hint={hint ?? "Time in UTC."} />;
}
