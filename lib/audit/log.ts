import type { Executor } from "@/db/client";
import { auditWhere, listAuditEvents, parseAuditCursor, staffOfAccount, type AuditFilter, type AuditRow, type HiddenStaff } from "@/db/queries/audit";
import { mayNotSee, type Principal } from "@/lib/auth/principal";
import { config } from "@/lib/config";
import { auditLabel, auditResult } from "./events";

export const AUDIT_PAGE_SIZE = 50;

/** T6: a customer's reader does not see the vendor's staff in the log, as actor or as target. */
export async function hiddenStaffFor(db: Executor, principal: Principal): Promise<HiddenStaff> {
  const domain = config().staffEmailDomain;
  if (!domain || !mayNotSee(principal, `staff@${domain}`)) return null;
  return { ids: await staffOfAccount(db, principal.accountId, domain), domain };
}

export type AuditLogEntry = AuditRow & { label: string; result: "success" | "failure"; actorLabel: string; targetLabel: string | null };

/** B3: a SCIM token acts as no person; its rows name it in their details. */
const actorWithoutUser = (details: Record<string, unknown>) => (details.via === "scim" ? `SCIM token ${String(details.scimTokenName ?? "")} (${String(details.scimToken ?? "")}…)` : "The system");

/** A page's rows with their labels: the action's words, who acted, the target member's address. */
function described(rows: AuditRow[]): AuditLogEntry[] {
  return rows.map((row) => ({
    ...row,
    label: auditLabel(row.action),
    result: auditResult(row.action),
    actorLabel: row.actorEmail ?? (row.actorId ? "A former member" : actorWithoutUser(row.details)),
    targetLabel: row.targetEmail ?? row.targetId,
  }));
}

export type AuditLogPage = { entries: AuditLogEntry[]; older: string | null; newer: string | null };

/**
 * O1: one page of the account's log for a reader, newest first. `older`/`newer` are the
 * cursors of the next page down and up (null at either end).
 */
export async function readAuditLog(db: Executor, principal: Principal, filter: AuditFilter, position: { older?: string; newer?: string }, pageSize = AUDIT_PAGE_SIZE): Promise<AuditLogPage> {
  const where = await auditWhere(db, principal, filter, await hiddenStaffFor(db, principal));
  const older = parseAuditCursor(position.older);
  const newer = older ? undefined : parseAuditCursor(position.newer);
  const rows = await listAuditEvents(db, where, { older, newer, limit: pageSize + 1 });
  const more = rows.length > pageSize;
  // Back at the top: the first page as it is, full, rather than a short page above it.
  if (newer && !more) return readAuditLog(db, principal, filter, {}, pageSize);
  // Going up, the extra row is the one furthest up; going down, the one furthest down.
  const page = more ? (newer ? rows.slice(1) : rows.slice(0, pageSize)) : rows;
  const entries = described(page);
  return {
    entries,
    older: entries.length && (newer || more) ? entries[entries.length - 1].cursor : null,
    newer: entries.length && (older || (newer && more)) ? entries[0].cursor : null,
  };
}

/**
 * O1 through /api/v1 (a SIEM's poll): the log in the order it was written — newest first
 * below `before`, or oldest first above `after` to follow it — by id, which within an
 * account is commit order (db/queries/audit.ts), so following it misses nothing.
 */
export async function readAuditFeed(db: Executor, principal: Principal, filter: AuditFilter, position: { before?: number; after?: number }, limit: number): Promise<{ entries: AuditLogEntry[]; more: boolean }> {
  const where = await auditWhere(db, principal, filter, await hiddenStaffFor(db, principal));
  const at = (id: number | undefined) => (id === undefined ? undefined : { at: "", id });
  const following = position.after !== undefined;
  const rows = await listAuditEvents(db, where, { by: "chain", older: following ? undefined : at(position.before), newer: at(position.after), limit: limit + 1 });
  // Following, the rows come newest first like the page's "Newer": oldest first is their order.
  const ordered = following ? rows.reverse() : rows;
  return { entries: described(ordered.slice(0, limit)), more: rows.length > limit };
}
