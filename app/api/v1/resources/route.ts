import { findResource, listAccountResources } from "@/db/queries/resources";
import { apiError, apiRoute, readOptionalJson } from "@/lib/api/handler";
import { resourceJson } from "@/lib/api/resource-json";
import { accessTo, createResource, visibleResources } from "@/lib/resources/resources";
import { createResourceInput } from "@/lib/resources/schemas";

/**
 * GET /api/v1/resources — the resources the key's owner may see (A6): their own, those
 * shared with them or a team of theirs, data sources open to all users; every one of the
 * account's with "Edit all content". Filtered by the same can() the console asks.
 */
export const GET = apiRoute({ scope: "resources:read" }, async (_req, { principal, db }) => {
  const rows = visibleResources(principal, await listAccountResources(db, principal.accountId));
  return Response.json({ data: rows.map((row) => resourceJson(row, accessTo(principal, row))) });
});

/** POST /api/v1/resources — creates a resource owned by the key's owner; a team's quotas apply (409 naming the quota). */
export const POST = apiRoute({ scope: "resources:write" }, async (req, { principal, db, request }) => {
  const parsed = createResourceInput.safeParse(await readOptionalJson(req));
  if (!parsed.success) return apiError(422, "invalid", parsed.error.issues[0]?.message ?? "Send { kind, name }.");
  const created = await db.transaction((tx) => createResource(tx, { principal, request }, parsed.data));
  return Response.json(resourceJson((await findResource(db, principal.accountId, created.id))!, "edit"), { status: 201 });
});
