import { apiRoute } from "@/lib/api/handler";

/** GET /api/v1/me — the key's owner. */
export const GET = apiRoute({ role: "any", scope: "profile:read" }, async (_req, { caller }) =>
  Response.json({ id: caller.user.id, email: caller.user.email, name: caller.user.name, role: caller.user.role, accountId: caller.user.accountId }),
);
