import { z } from "zod";
import { findMemberPrincipal } from "@/db/queries/principals";
import { findResource, resourceScopeOf } from "@/db/queries/resources";
import { apiError, apiRoute, readOptionalJson, refusalResponse } from "@/lib/api/handler";
import { refusalFor, toPrincipal, mayNotSee } from "@/lib/auth/principal";
import { NO_SUCH_RESOURCE } from "@/lib/resources/resources";

const question = z
  .object({
    resourceId: z.uuid({ error: "resourceId: a resource's ID" }),
    ability: z.enum(["view", "edit"], { error: "ability: view or edit" }),
    userId: z.uuid({ error: "userId: a member's ID" }).optional(),
  })
  .strict();

/**
 * POST /api/v1/resources/check — may this member (default: the key's owner) view or edit
 * this resource? The same can(principal, "resource.view" | "resource.edit", resource) the
 * console asks (A6). The caller must see the resource itself; a resource it may not see,
 * or another account's, is 404. Only active members whose access has not expired hold anything.
 */
export const POST = apiRoute({ scope: "resources:read" }, async (req, { principal, db }) => {
  const parsed = question.safeParse(await readOptionalJson(req));
  if (!parsed.success) return apiError(400, "invalid_body", "Send { resourceId, ability: view | edit, userId? }.");
  const { resourceId, ability, userId } = parsed.data;
  const resource = await findResource(db, principal.accountId, resourceId);
  if (!resource || refusalFor(principal, "resource.view", resourceScopeOf(resource))) return refusalResponse("not_found", NO_SUCH_RESOURCE);
  const row = await findMemberPrincipal(db, principal.accountId, userId ?? principal.id);
  if (!row || mayNotSee(principal, row.user.email)) return refusalResponse("not_found", "No such member in this account.");
  const member = toPrincipal(row, { kind: "lookup" });
  const active = member.status === "active" && !member.accessExpired;
  const refusal = active ? refusalFor(member, ability === "edit" ? "resource.edit" : "resource.view", resourceScopeOf(resource)) : { code: "forbidden", message: "This member is not active." };
  return Response.json({ userId: member.id, resourceId: resource.id, ability, allowed: refusal === null, ...(refusal ? { reason: refusal.code === "not_found" ? "Not shared with them." : refusal.message } : {}) });
});
