import type { Db } from "@/db/client";
import { accountNames, activeAdminsOf, findDueWarnings, findNewlyExpired, noteExpiries, type ExpiringThing } from "@/db/queries/expiry";
import { recordAudit } from "@/lib/audit";
import { isSystemRoleKey, SYSTEM_ROLES } from "@/lib/auth/permissions";
import { enqueueEmail, kickEmailDelivery } from "@/lib/email";
import { accessExpiredSummaryEmail, accessExpiryWarningEmail, type ExpiryLine } from "@/lib/email/templates";
import type { JobDefinition } from "@/lib/jobs/runner";

/** How often the expiry is recorded: access itself ends at its moment, on the next request, whatever this says. */
export const ACCESS_EXPIRY_EVERY_MS = 5 * 60_000;
export const EXPIRY_WARNING_EVERY_MS = 60 * 60_000;
const BATCH = 500;

/** What expired, in words: "membership", "the Developer role", "access to Studio". */
function describe(thing: ExpiringThing, accountName: string): string {
  if (thing.subjectType === "membership") return `membership of ${accountName}`;
  if (thing.subjectType === "app_subscription") return `access to ${thing.label}`;
  const role = !thing.custom && thing.label && isSystemRoleKey(thing.label) ? SYSTEM_ROLES[thing.label].name : thing.label;
  return `the ${role} role`;
}

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Done by the system, not a person: no actor, no address. */
const BY_JOB = { ip: null, userAgent: null };

/**
 * A5 "access-expiry": records each membership, role grant and subscription that expired
 * by `at` — one "access.expired" audit event per thing and expiry, ever — and emails each
 * account's Admins one summary of what this run found. Access already ended at the
 * expiry itself (the principal's query); this job only writes it down and tells people.
 */
export async function recordExpiredAccess(db: Db, at: Date): Promise<number> {
  let recorded = 0;
  for (;;) {
    const found = await findNewlyExpired(db, at, BATCH);
    const names = await accountNames(db, [...new Set(found.map((thing) => thing.accountId))]);
    for (const [accountId, things] of byKey(found, (thing) => thing.accountId)) {
      const accountName = names.get(accountId) ?? "your account";
      recorded += await db.transaction(async (tx) => {
        // Noted in the same transaction as the audit events and the email: all or nothing, once.
        const noted = await noteExpiries(tx, "expired", things);
        for (const thing of noted) {
          await recordAudit(tx, {
            accountId,
            actorId: null,
            action: "access.expired",
            target: { type: "user", id: thing.userId },
            details: { email: thing.email, what: thing.subjectType, label: describe(thing, accountName), expiresAt: thing.expiresAt.toISOString(), by: "access-expiry job" },
            context: BY_JOB,
          });
        }
        if (noted.length > 0) {
          const lines: ExpiryLine[] = noted.map((thing) => ({ who: thing.name ? `${thing.name} (${thing.email})` : thing.email, what: describe(thing, accountName), expiresAt: thing.expiresAt }));
          for (const admin of await activeAdminsOf(tx, accountId, at)) {
            await enqueueEmail(tx, { accountId, to: admin.email, kind: "access-expired-summary", ...accessExpiredSummaryEmail({ accountName, lines }) });
          }
        }
        return noted.length;
      });
    }
    if (found.length < BATCH) break;
  }
  if (recorded > 0) kickEmailDelivery();
  return recorded;
}

/**
 * A5 "expiry-warning": emails each active member whose membership, role or subscription
 * expires within their account's warning period (7 days unless an Admin set another) —
 * once per thing and expiry value, so a renewal to a new time warns again before that one.
 */
export async function sendExpiryWarnings(db: Db, at: Date): Promise<number> {
  let warned = 0;
  for (;;) {
    const found = await findDueWarnings(db, at, BATCH);
    const names = await accountNames(db, [...new Set(found.map((thing) => thing.accountId))]);
    for (const [, things] of byKey(found, (thing) => thing.userId)) {
      const { accountId, email } = things[0];
      const accountName = names.get(accountId) ?? "your account";
      warned += await db.transaction(async (tx) => {
        const noted = await noteExpiries(tx, "warning", things);
        if (noted.length === 0) return 0;
        const lines = noted.map((thing) => ({ what: describe(thing, accountName), expiresAt: thing.expiresAt }));
        await enqueueEmail(tx, { accountId, to: email, kind: "access-expiry-warning", ...accessExpiryWarningEmail({ accountName, lines }) });
        return noted.length;
      });
    }
    if (found.length < BATCH) break;
  }
  if (warned > 0) kickEmailDelivery();
  return warned;
}

export const accessExpiryJob: JobDefinition = { name: "access-expiry", everyMs: ACCESS_EXPIRY_EVERY_MS, run: ({ db, at }) => recordExpiredAccess(db, at).then(() => {}) };
export const expiryWarningJob: JobDefinition = { name: "expiry-warning", everyMs: EXPIRY_WARNING_EVERY_MS, run: ({ db, at }) => sendExpiryWarnings(db, at).then(() => {}) };
