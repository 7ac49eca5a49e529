import { refuse } from "@/lib/actions/refusal";
import { now } from "@/lib/clock";

const LONGEST_MS = 10 * 366 * 86_400_000;

/** A5: an expiry being set must lie ahead on the clock, and within ten years. Returns it as a Date. */
export function futureExpiry(expiresAt: string, at: Date = now()): Date {
  const when = new Date(expiresAt);
  if (Number.isNaN(when.getTime()) || when.getTime() <= at.getTime()) refuse("Choose an expiry time in the future.", "invalid");
  if (when.getTime() - at.getTime() > LONGEST_MS) refuse("Choose an expiry time within ten years.", "invalid");
  return when;
}

/** A5: whether a membership that ends at `expiresAt` has ended by `at`. */
export function accessEnded(expiresAt: Date | null, at: Date = now()): boolean {
  return expiresAt !== null && expiresAt.getTime() <= at.getTime();
}

export const ACCESS_EXPIRED = "Your access to this account has expired. Ask an administrator of your account to renew it.";
