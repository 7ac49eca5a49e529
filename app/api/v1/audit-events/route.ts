import { apiError, apiRoute } from "@/lib/api/handler";
import { encodeCursor, nextCursor, readFeedPaging } from "@/lib/api/feed";
import { auditEventJson } from "@/lib/api/feed-json";
import { checkAuditFilter, FILTER_KEYS } from "@/lib/audit/filter";
import { readAuditFeed } from "@/lib/audit/log";

const chainPosition = (text: string) => (/^\d{1,15}$/.test(text) ? Number(text) : undefined);

/**
 * GET /api/v1/audit-events — the audit log (O1) for a SIEM: the Audit log page's filters and
 * T6, newest first (`cursor` for older pages) or followed forward (`after`, oldest first).
 */
export const GET = apiRoute({ scope: "audit:read" }, async (req, { principal, db }) => {
  const params = new URL(req.url).searchParams;
  const paging = readFeedPaging(params, "audit", FILTER_KEYS, chainPosition);
  const checked = checkAuditFilter(params);
  if (!checked.ok) return apiError(422, "invalid_query", checked.message);
  const page = await readAuditFeed(db, principal, checked.filter, { before: paging.older, after: paging.newer }, paging.limit);
  const cursors = page.entries.map((entry) => encodeCursor("audit", String(entry.id)));
  return Response.json({ data: page.entries.map((entry, i) => auditEventJson(entry, cursors[i])), nextCursor: nextCursor(paging, cursors, page.more) });
});
