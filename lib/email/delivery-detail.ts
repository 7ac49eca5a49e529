import type { Delivery } from "./outbox";

const when = (date: Date) => `${date.toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" })} UTC`;

/**
 * I2: what the Email delivery page says about one message — when it arrived, or why it has
 * not (the provider's own error, its HTTP status and any Retry-After) and when it is tried
 * next, or that it was given up on. Never silent.
 */
export function deliveryDetail(d: Pick<Delivery, "status" | "attempts" | "lastError" | "sentAt" | "nextAttemptAt">): string {
  if (d.status === "sent" && d.sentAt) return `Delivered to the provider ${when(d.sentAt)}`;
  if (d.status === "pending" && d.attempts > 0) return `Attempt ${d.attempts} failed: ${d.lastError ?? "unknown error"}. Next try ${when(d.nextAttemptAt)}.`;
  if (d.status === "failed") return `Gave up after ${d.attempts} attempts: ${d.lastError ?? "unknown error"}`;
  if (d.status === "stored") return "Kept in the outbox: no RESEND_API_KEY is set.";
  return "";
}
