import { readFileSync } from "node:fs";
import { config } from "@/lib/config";

/**
 * The time access expiry (A5) and the job runner go by. Every expiry decision takes its
 * instant from here — the principal's query gets it as a parameter rather than calling
 * SQL now() — so tests move one clock and everything that expires sees it.
 *
 * Tests: Vitest sets it with `setClockForTests`; the e2e suite starts the console with
 * ROSTER_TEST_CLOCK_FILE, a file holding `{"offsetMs": n}` that moves the clock by n ms
 * (re-read on every call, so a spec moves a running console, and two consoles sharing
 * the file move together). lib/config.ts refuses that variable unless the console's
 * APP_URL is plain http on this machine, so no console that others use can have it.
 */
let override: (() => Date) | undefined;

export function now(): Date {
  if (override) return override();
  const file = config().testClockFile;
  return file ? new Date(Date.now() + offsetFrom(file)) : new Date();
}

function offsetFrom(file: string): number {
  try {
    const { offsetMs } = JSON.parse(readFileSync(file, "utf8")) as { offsetMs?: unknown };
    return typeof offsetMs === "number" && Number.isFinite(offsetMs) ? offsetMs : 0;
  } catch {
    // No file (yet): the real time.
    return 0;
  }
}

/** Vitest: a fixed or moving clock for the code under test; `undefined` restores the real one. */
export function setClockForTests(clock: Date | (() => Date) | undefined) {
  override = clock === undefined ? undefined : typeof clock === "function" ? clock : () => new Date(clock.getTime());
}
