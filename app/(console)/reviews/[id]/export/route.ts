import { getDb } from "@/db/client";
import { can } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { requestContext } from "@/lib/request";
import { exportReviewCsv } from "@/lib/reviews/read";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * O3: a campaign as CSV evidence (audited). Checks the session and reviews.manage itself
 * (STYLE 2); without it, or for another account's review, no such file.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  if (!can(user, "reviews.manage") || !UUID.test(id)) return new Response("Not found.", { status: 404 });
  const exported = await exportReviewCsv(await getDb(), { principal: user, request: await requestContext() }, id, now());
  if (!exported) return new Response("Not found.", { status: 404 });
  return new Response(exported.csv, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${exported.name}"`, "cache-control": "no-store" },
  });
}
