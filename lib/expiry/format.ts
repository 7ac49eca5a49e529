// A5: expiry times are shown, and typed, in UTC — the console's one time zone for dates —
// so what an admin types is what every reader and every email says.
const format = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" });
const dateOnly = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "1 Mar 2027, 09:00 UTC" */
export function formatExpiry(at: Date | string): string {
  return `${format.format(new Date(at))} UTC`;
}

/** "1 Mar 2027" (badges) */
export function formatExpiryDate(at: Date | string): string {
  return dateOnly.format(new Date(at));
}

/** The value of a datetime-local input for an instant, in UTC ("2027-03-01T09:00"). */
export function toUtcInputValue(at: Date | string): string {
  return new Date(at).toISOString().slice(0, 16);
}

/** An ISO instant from a datetime-local input's value read as UTC, or null when it is not one. */
export function fromUtcInputValue(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const at = new Date(`${value}:00.000Z`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}
