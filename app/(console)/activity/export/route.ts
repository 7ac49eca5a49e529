import { getDb } from "@/db/client";
import { exportActivity } from "@/lib/activity/export";
import { parseActivityFilter } from "@/lib/activity/filter";
import { can } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { requestContext } from "@/lib/request";

/**
 * O2: the filtered sign-in activity as CSV, streamed. Checks the session and activity.read
 * itself (STYLE 2: the proxy is never the gate); without it, no such file.
 */
export async function GET(request: Request) {
  const user = await requireUser();
  if (!can(user, "activity.read")) return new Response("Not found.", { status: 404 });
  const filter = parseActivityFilter(new URL(request.url).searchParams);
  const at = now();
  const stream = await exportActivity(await getDb(), { principal: user, request: await requestContext() }, filter, at);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="sign-in-activity-${at.toISOString().slice(0, 10)}.csv"`,
      "cache-control": "no-store",
    },
  });
}
