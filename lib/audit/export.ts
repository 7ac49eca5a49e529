import type { Db } from "@/db/client";
import { auditWhere, listAuditEvents, type AuditFilter, type AuditRow } from "@/db/queries/audit";
import type { Actor } from "@/lib/actions/actor";
import { describeAuditFilter } from "./filter";
import { auditLabel, auditResult } from "./events";
import { recordAuditBy } from "./index";
import { hiddenStaffFor } from "./log";

export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
const BATCH = 1_000;

export const CSV_COLUMNS = ["time", "actor_id", "actor_email", "action", "action_label", "result", "target_type", "target_id", "target_email", "ip", "user_agent", "details"] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * A cell a spreadsheet would read as a formula (= + - @, or a tab or carriage return first)
 * is prefixed with an apostrophe (OWASP "CSV injection"): the log holds what people typed.
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? "";
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly (string | null | undefined)[]) => `${cells.map(csvCell).join(",")}\r\n`;

type ExportRow = AuditRow;

function record(row: ExportRow) {
  return {
    time: row.createdAt.toISOString(),
    actor_id: row.actorId,
    actor_email: row.actorEmail,
    action: row.action,
    action_label: auditLabel(row.action),
    result: auditResult(row.action),
    target_type: row.targetType,
    target_id: row.targetId,
    target_email: row.targetEmail,
    ip: row.ip,
    user_agent: row.userAgent,
    details: row.details,
  };
}

/** The file's first line: what it is, which filter made it, and when. */
export function exportHeading(format: ExportFormat, filter: AuditFilter, at: Date, accountId: string) {
  const words = `Roster audit log export; account ${accountId}; filter: ${describeAuditFilter(filter)}; exported ${at.toISOString()}`;
  if (format === "jsonl") return `${JSON.stringify({ export: { account: accountId, filter, exportedAt: at.toISOString(), description: words } })}\n`;
  return `${csvLine([`# ${words}`])}${csvLine(CSV_COLUMNS)}`;
}

export function exportLine(format: ExportFormat, row: ExportRow): string {
  const fields = record(row);
  if (format === "jsonl") return `${JSON.stringify(fields)}\n`;
  return csvLine(CSV_COLUMNS.map((column) => (column === "details" ? JSON.stringify(fields.details) : (fields[column] as string | null))));
}

/**
 * O1: the filtered log as a stream, read from the database in keyset batches of 1,000 as the
 * client takes it (pull), so a million rows never sit in memory. The export is audited
 * before its first byte, with its filter and format.
 */
export async function exportAuditLog(db: Db, actor: Actor, filter: AuditFilter, format: ExportFormat, at: Date): Promise<ReadableStream<Uint8Array>> {
  const { principal } = actor;
  await db.transaction((tx) => recordAuditBy(tx, actor, { action: "audit.exported", target: { type: "account", id: principal.accountId }, details: { filter, format } }));
  const where = await auditWhere(db, principal, filter, await hiddenStaffFor(db, principal));
  const encoder = new TextEncoder();
  let cursor: AuditRow | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(exportHeading(format, filter, at, principal.accountId)));
          return;
        }
        const rows = await listAuditEvents(db, where, { older: cursor && { at: cursor.cursor.split("_")[0], id: cursor.id }, limit: BATCH });
        const text = rows.map((row) => exportLine(format, row)).join("");
        if (text) controller.enqueue(encoder.encode(text));
        cursor = rows.at(-1);
        if (rows.length < BATCH) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}
