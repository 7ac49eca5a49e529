import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * The console under test reads its clock's offset from this file (ROSTER_TEST_CLOCK_FILE,
 * lib/clock.ts): a spec moves the running console's time without waiting for it. One file
 * per app port, so suites on other ports do not share it.
 */
export const testClockFile = (appPort: number | string = process.env.E2E_APP_PORT ?? 3101) => path.join(tmpdir(), `roster-e2e-clock-${appPort}.json`);

/** Moves the console's clock so that it now reads `at` (and runs on from there). */
export function moveClockTo(at: Date, file = testClockFile()) {
  writeFileSync(file, JSON.stringify({ offsetMs: at.getTime() - Date.now() }));
}

/** Back to the real time. */
export function resetClock(file = testClockFile()) {
  rmSync(file, { force: true });
}
