import type { Db, Executor } from "@/db/client";
import { accountsWithAuditRetention, deleteAuditRowsBefore, setAuditRetention as writeRetention, auditRetentionOf } from "@/db/queries/audit";
import { deleteSignInAttemptsBefore } from "@/db/queries/activity";
import type { Actor } from "@/lib/actions/actor";
import type { JobDefinition } from "@/lib/jobs/runner";
import { recordAudit, recordAuditBy } from "./index";

export const RETENTION_DAYS_MIN = 30;
export const RETENTION_DAYS_MAX = 3650;
const DAY_MS = 86_400_000;

/** O1: how long this account keeps its audit log (null: forever, the default). Step-up, audited. */
export async function setAuditRetention(tx: Executor, actor: Actor, input: { days: number | null }) {
  const accountId = actor.principal.accountId;
  const before = await auditRetentionOf(tx, accountId);
  await writeRetention(tx, accountId, input.days);
  await recordAuditBy(tx, actor, { action: "audit.retention_changed", target: { type: "account", id: accountId }, details: { before, after: input.days } });
  return { days: input.days };
}

/**
 * O1 "audit-retention": in each account that keeps its log for a limited time, removes the
 * rows older than that (the oldest stretch of the chain, which stays verifiable from its
 * new anchor) and records that it did, in the same transaction. Idempotent: a second run
 * at the same time finds nothing more to remove. O2: the account's sign-in attempts are kept
 * as long as its audit log, and go with it in the same transaction.
 */
export async function applyAuditRetention(db: Db, at: Date): Promise<number> {
  let removed = 0;
  for (const account of await accountsWithAuditRetention(db)) {
    const before = new Date(at.getTime() - account.days! * DAY_MS);
    removed += await db.transaction(async (tx) => {
      const deleted = await deleteAuditRowsBefore(tx, account.id, before);
      const signIns = await deleteSignInAttemptsBefore(tx, account.id, before);
      if (deleted > 0 || signIns > 0) {
        await recordAudit(tx, {
          accountId: account.id,
          actorId: null,
          action: "audit.retention_applied",
          target: { type: "account", id: account.id },
          details: { deleted, signInAttempts: signIns, before: before.toISOString(), keepDays: account.days, by: "audit-retention job" },
          context: { ip: null, userAgent: null },
        });
      }
      return deleted;
    });
  }
  return removed;
}

export const auditRetentionJob: JobDefinition = {
  name: "audit-retention",
  everyMs: DAY_MS,
  run: async ({ db, at }) => {
    await applyAuditRetention(db, at);
  },
};
