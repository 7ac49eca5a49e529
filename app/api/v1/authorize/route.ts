import { z } from "zod";
import { findMemberPrincipal } from "@/db/queries/principals";
import { apiError, apiRoute, readOptionalJson, refusalResponse } from "@/lib/api/handler";
import { applicationAccessOf } from "@/lib/apps/access";
import { PERMISSION_NAMES } from "@/lib/auth/permissions";
import { findVisibleMember } from "@/db/queries/members";
import { can, toPrincipal } from "@/lib/auth/principal";
import { config } from "@/lib/config";
import { NO_SUCH_MEMBER } from "@/lib/team/members";

const question = z.union([
  z.object({ userId: z.uuid({ error: "userId: a member's ID" }), permission: z.enum(PERMISSION_NAMES, { error: "permission: one of the catalogue's (GET /openapi.json)" }) }).strict(),
  z.object({ userId: z.uuid({ error: "userId: a member's ID" }), app: z.string().min(1).max(64), appRole: z.string().min(1).max(64) }).strict(),
]);

/**
 * POST /api/v1/authorize — may this member do this? The products on top of Roster ask
 * here instead of keeping their own copy of roles: the same `can` the console uses (A3),
 * or whether they hold an app role (A8). Only active members whose access has not expired
 * (A5) hold anything.
 */
export const POST = apiRoute({ scope: "members:read" }, async (req, { principal, db }) => {
  const parsed = question.safeParse(await readOptionalJson(req));
  if (!parsed.success) return apiError(400, "invalid_body", "Send { userId, permission } or { userId, app, appRole }.");
  // A1, T6, A4: another account's member, staff hidden from this caller, or a member outside
  // a unit administrator's units does not exist here.
  const visible = await findVisibleMember(db, principal, { staffEmailDomain: config().staffEmailDomain }, parsed.data.userId);
  const row = visible && (await findMemberPrincipal(db, principal.accountId, visible.id));
  if (!row) return refusalResponse("not_found", NO_SUCH_MEMBER);
  const member = toPrincipal(row, { kind: "lookup" });
  const active = member.status === "active" && !member.accessExpired;
  if ("permission" in parsed.data) {
    // For the account as a whole (A4: a role on a unit answers only for that unit's members, in the console).
    return Response.json({ userId: member.id, permission: parsed.data.permission, allowed: active && can(member, parsed.data.permission, { accountId: member.accountId }) });
  }
  const { app, appRole } = parsed.data;
  const access = await applicationAccessOf(db, member.id);
  const held = access.find((entry) => entry.key === app)?.roles.some((role) => role.key === appRole) ?? false;
  return Response.json({ userId: member.id, app, appRole, allowed: active && held });
});
