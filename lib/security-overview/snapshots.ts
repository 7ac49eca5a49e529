import type { Db } from "@/db/client";
import { countTwoFactorAdoption, listAccountIds, upsertTwoFactorSnapshot } from "@/db/queries/security-overview";
import type { JobDefinition } from "@/lib/jobs/runner";

const DAY_MS = 86_400_000;
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/**
 * B4 "two-factor-snapshot": once a day, each account's active people and how many of them
 * have 2FA, kept as that day's row — the history of the adoption chart. A snapshot rather
 * than a replay of audit events: retention may remove those, and replaying every
 * enrolment, removal and passkey of 100,000 members on each page view would not stay
 * fast. Idempotent: a second run the same day rewrites the same row.
 */
export async function writeTwoFactorSnapshots(db: Db, at: Date): Promise<number> {
  const accounts = await listAccountIds(db);
  for (const accountId of accounts) {
    const counts = await countTwoFactorAdoption(db, accountId);
    await upsertTwoFactorSnapshot(db, { accountId, day: dayOf(at), ...counts });
  }
  return accounts.length;
}

export const twoFactorSnapshotJob: JobDefinition = {
  name: "two-factor-snapshot",
  everyMs: DAY_MS,
  run: async ({ db, at }) => {
    await writeTwoFactorSnapshots(db, at);
  },
};
