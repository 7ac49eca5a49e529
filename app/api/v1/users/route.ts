import { z } from "zod";
import { listMembers, MEMBER_SORTS, MEMBER_STATUSES } from "@/db/queries/members";
import { apiError, apiRoute } from "@/lib/api/handler";
import { memberJson } from "@/lib/api/member-json";
import { config } from "@/lib/config";

const querySchema = z
  .object({
    search: z.string().max(200, "search: at most 200 characters").optional(),
    status: z.enum(MEMBER_STATUSES, { error: `status: one of ${MEMBER_STATUSES.join(", ")}` }).optional(),
    sort: z.enum(MEMBER_SORTS, { error: `sort: one of ${MEMBER_SORTS.join(", ")}` }).optional(),
    direction: z.enum(["asc", "desc"], { error: "direction: asc or desc" }).optional(),
    page: z.coerce.number({ error: "page: a whole number from 1" }).int("page: a whole number from 1").min(1, "page: a whole number from 1").max(1_000_000).optional(),
    pageSize: z.coerce.number({ error: "pageSize: 1 to 100" }).int("pageSize: 1 to 100").min(1, "pageSize: 1 to 100").max(100, "pageSize: 1 to 100").optional(),
    unit: z.uuid({ error: "unit: a unit's ID (GET /units)" }).optional(),
  })
  .strict();

/**
 * GET /api/v1/users — the team table's query (T1), for keys of those who may see the team:
 * only the members their roles reach (A4: a unit administrator's units), `unit` narrowing it.
 */
export const GET = apiRoute({ scope: "members:read" }, async (req, { principal, db }) => {
  const params = new URL(req.url).searchParams;
  const raw: Record<string, string> = {};
  for (const [key, value] of params) raw[key] = value;
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const message = issue.code === "unrecognized_keys" ? `Unknown parameter: ${issue.keys.join(", ")}` : issue.message;
    return apiError(400, "invalid_query", message);
  }
  const result = await listMembers(db, principal, { staffEmailDomain: config().staffEmailDomain }, parsed.data);
  return Response.json({
    data: result.rows.map(memberJson),
    page: result.page,
    pageSize: result.pageSize,
    total: result.total,
  });
});
