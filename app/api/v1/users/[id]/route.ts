import { z } from "zod";
import { findVisibleMember } from "@/db/queries/members";
import { countPasskeys } from "@/db/queries/passkeys";
import { rolesOfMember } from "@/db/queries/roles";
import { unitsOfMember } from "@/db/queries/units";
import { apiRoute, refusalResponse } from "@/lib/api/handler";
import { memberJson } from "@/lib/api/member-json";
import { config } from "@/lib/config";
import { NO_SUCH_MEMBER } from "@/lib/team/members";

/**
 * GET /api/v1/users/{id} — one member, with their roles and units. Another account's
 * member, hidden staff (T6), or one outside a unit administrator's units (A4): 404.
 */
export const GET = apiRoute({ scope: "members:read" }, async (_req, { principal, db, params }) => {
  const id = z.uuid().safeParse(params.id);
  if (!id.success) return refusalResponse("not_found", NO_SUCH_MEMBER);
  const member = await findVisibleMember(db, principal, { staffEmailDomain: config().staffEmailDomain }, id.data);
  if (!member) return refusalResponse("not_found", NO_SUCH_MEMBER);
  const [roles, units, passkeys] = await Promise.all([rolesOfMember(db, member.id), unitsOfMember(db, member.id), countPasskeys(db, member.id)]);
  return Response.json({
    ...memberJson({ ...member, roles, twoFactorEnabled: member.totpEnabledAt !== null || passkeys > 0 }),
    units: units.map(({ id, name }) => ({ id, name })),
  });
});
