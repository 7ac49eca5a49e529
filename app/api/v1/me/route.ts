import { apiRoute } from "@/lib/api/handler";
import { applicationAccessOf } from "@/lib/apps/access";
import { roleJson } from "@/lib/api/member-json";

/** GET /api/v1/me — the key's owner: roles, the permissions they add up to, and app roles (A3, A8). */
export const GET = apiRoute({ scope: "profile:read" }, async (_req, { principal, db }) =>
  Response.json({
    id: principal.id,
    email: principal.email,
    name: principal.name,
    accountId: principal.accountId,
    kind: principal.kind,
    roles: principal.roles.map(roleJson),
    permissions: [...principal.permissions].sort(),
    applications: await applicationAccessOf(db, principal.id),
  }),
);
