import { parseActivityCursor } from "@/db/queries/activity";
import { checkActivityFilter, ACTIVITY_FILTER_KEYS } from "@/lib/activity/filter";
import { readActivityFeed } from "@/lib/activity/log";
import { apiError, apiRoute } from "@/lib/api/handler";
import { encodeCursor, nextCursor, readFeedPaging } from "@/lib/api/feed";
import { signInAttemptJson } from "@/lib/api/feed-json";

/**
 * GET /api/v1/sign-in-attempts — sign-in activity (O2) for a SIEM: the Activity page's
 * filters and access (a unit administrator, their units' members; T6), newest first
 * (`cursor` for older pages) or followed forward (`after`, oldest first).
 */
export const GET = apiRoute({ scope: "activity:read" }, async (req, { principal, db }) => {
  const params = new URL(req.url).searchParams;
  const paging = readFeedPaging(params, "activity", ACTIVITY_FILTER_KEYS, parseActivityCursor);
  const checked = checkActivityFilter(params);
  if (!checked.ok) return apiError(422, "invalid_query", checked.message);
  const page = await readActivityFeed(db, principal, checked.filter, { older: paging.older, newer: paging.newer }, paging.limit);
  const cursors = page.entries.map((entry) => encodeCursor("activity", entry.cursor));
  return Response.json({ data: page.entries.map((entry, i) => signInAttemptJson(entry, cursors[i])), nextCursor: nextCursor(paging, cursors, page.more) });
});
