import { listUnitTree } from "@/db/queries/units";
import { apiRoute } from "@/lib/api/handler";
import { unitsWhere } from "@/lib/org-units/choices";
import { pathName } from "@/lib/org-units/tree";

/**
 * GET /api/v1/units — the account's organisation units (A4) that the key's owner sees the
 * members of: every unit for whoever sees the whole team, a unit administrator's own units
 * and those below them otherwise. `parentId` is null for a unit whose parent is not listed.
 */
export const GET = apiRoute({ scope: "members:read" }, async (_req, { principal, db }) => {
  const all = await listUnitTree(db, principal.accountId);
  const seen = unitsWhere(principal, "members.read", all);
  const listed = new Set(seen.map((unit) => unit.id));
  return Response.json({
    data: seen.map((unit) => ({ id: unit.id, name: unit.name, parentId: unit.parentId && listed.has(unit.parentId) ? unit.parentId : null, path: pathName(all, unit.id) })),
  });
});
