import { apiRoute } from "@/lib/api/handler";

/** GET /api/v1/me — the key's owner. */
export const GET = apiRoute({ scope: "profile:read" }, async (_req, { principal }) =>
  Response.json({ id: principal.id, email: principal.email, name: principal.name, role: principal.role, accountId: principal.accountId }),
);
