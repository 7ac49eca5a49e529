import type { Db } from "@/db/client";
import { activityWhere, listSignInAttempts, type ActivityFilter, type ActivityRow } from "@/db/queries/activity";
import type { Actor } from "@/lib/actions/actor";
import { recordAuditBy } from "@/lib/audit";
import { csvLine } from "@/lib/audit/export";
import { config } from "@/lib/config";
import { describeActivityFilter } from "./filter";
import { methodLabel, resultLabel } from "./results";

const BATCH = 1_000;

export const ACTIVITY_CSV_COLUMNS = ["time", "user_id", "email", "result", "result_label", "method", "method_label", "detail", "ip", "user_agent"] as const;

/** The file's first line says what it is, which filter made it, and when; then the column names. */
export function activityExportHeading(filter: ActivityFilter, at: Date, accountId: string): string {
  return `${csvLine([`# Roster sign-in activity export; account ${accountId}; filter: ${describeActivityFilter(filter)}; exported ${at.toISOString()}`])}${csvLine(ACTIVITY_CSV_COLUMNS)}`;
}

export const activityExportLine = (row: ActivityRow) =>
  csvLine([row.createdAt.toISOString(), row.userId, row.email, row.result, resultLabel(row.result), row.method, methodLabel(row.method), row.detail, row.ip, row.userAgent]);

/**
 * O2: the filtered activity as CSV, streamed in keyset batches of 1,000 as the client
 * takes them (pull), so a million rows never sit in memory — the audit log's export
 * (lib/audit/export.ts) over this table. Audited before its first byte, with its filter.
 */
export async function exportActivity(db: Db, actor: Actor, filter: ActivityFilter, at: Date): Promise<ReadableStream<Uint8Array>> {
  const { principal } = actor;
  await db.transaction((tx) => recordAuditBy(tx, actor, { action: "activity.exported", target: { type: "account", id: principal.accountId }, details: { filter, format: "csv" } }));
  const where = activityWhere(principal, { staffEmailDomain: config().staffEmailDomain }, filter);
  const encoder = new TextEncoder();
  let cursor: ActivityRow | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(activityExportHeading(filter, at, principal.accountId)));
          return;
        }
        const rows = await listSignInAttempts(db, where, { older: cursor && { at: cursor.cursor.split("_")[0], id: cursor.id }, limit: BATCH });
        const text = rows.map(activityExportLine).join("");
        if (text) controller.enqueue(encoder.encode(text));
        cursor = rows.at(-1);
        if (rows.length < BATCH) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}
