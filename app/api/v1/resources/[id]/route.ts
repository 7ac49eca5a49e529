import { findResource, resourceScopeOf } from "@/db/queries/resources";
import { apiError, apiRoute, readOptionalJson, refusalResponse } from "@/lib/api/handler";
import { resourceJson } from "@/lib/api/resource-json";
import { refusalFor } from "@/lib/auth/principal";
import { accessTo, NO_SUCH_RESOURCE, resizeResource } from "@/lib/resources/resources";
import { resizeResourceInput, resourceIdField } from "@/lib/resources/schemas";

/** GET /api/v1/resources/{id} — one resource the key's owner may see (A6); any other is 404, as in the console. */
export const GET = apiRoute({ scope: "resources:read" }, async (_req, { principal, db, params }) => {
  const id = resourceIdField.safeParse(params.id);
  const resource = id.success ? await findResource(db, principal.accountId, id.data) : null;
  if (!resource || refusalFor(principal, "resource.view", resourceScopeOf(resource))) return refusalResponse("not_found", NO_SUCH_RESOURCE);
  return Response.json(resourceJson(resource, accessTo(principal, resource)));
});

/**
 * PATCH /api/v1/resources/{id} — resizes an app or a workflow: any of { cpuMillis,
 * memoryMb, storageGb } (null clears one; one left out keeps its value). The console's
 * resizeResource: editing needs can(principal, "resource.edit", resource), and growing it
 * must stay within its team's quotas (409 naming the quota and its usage).
 */
export const PATCH = apiRoute({ scope: "resources:write" }, async (req, { principal, db, params, request }) => {
  const body = await readOptionalJson(req);
  const id = resourceIdField.safeParse(params.id);
  const current = id.success ? await findResource(db, principal.accountId, id.data) : null;
  if (!current || refusalFor(principal, "resource.view", resourceScopeOf(current))) return refusalResponse("not_found", NO_SUCH_RESOURCE);
  const kept = { cpuMillis: current.cpuMillis, memoryMb: current.memoryMb, storageGb: current.storageGb };
  const given = Object.fromEntries(Object.entries(body).filter(([key]) => key in kept));
  const parsed = resizeResourceInput.safeParse({ ...kept, ...given, resourceId: current.id });
  if (!parsed.success) return apiError(422, "invalid", parsed.error.issues[0]?.message ?? "Send { cpuMillis, memoryMb, storageGb }.");
  await db.transaction((tx) => resizeResource(tx, { principal, request }, parsed.data));
  return Response.json(resourceJson((await findResource(db, principal.accountId, current.id))!, "edit"));
});
