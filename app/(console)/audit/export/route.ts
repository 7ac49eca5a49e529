import { getDb } from "@/db/client";
import { exportAuditLog, EXPORT_FORMATS, type ExportFormat } from "@/lib/audit/export";
import { parseAuditFilter } from "@/lib/audit/filter";
import { can } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { requestContext } from "@/lib/request";

/**
 * O1: the filtered audit log as CSV or JSON Lines, streamed. Checks the session and
 * audit.export itself (STYLE 2: the proxy is never the gate); without it, no such file.
 */
export async function GET(request: Request) {
  const user = await requireUser();
  if (!can(user, "audit.export")) return new Response("Not found.", { status: 404 });
  const params = new URL(request.url).searchParams;
  const format = (EXPORT_FORMATS as readonly string[]).includes(params.get("format") ?? "") ? (params.get("format") as ExportFormat) : "csv";
  const filter = parseAuditFilter(params);
  const at = now();
  const stream = await exportAuditLog(await getDb(), { principal: user, request: await requestContext() }, filter, format, at);
  const name = `audit-log-${at.toISOString().slice(0, 10)}.${format}`;
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });
}
