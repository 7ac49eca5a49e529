import { z } from "zod";
import { recordAudit } from "@/lib/audit";
import { kickEmailDelivery } from "@/lib/email";
import { NO_SUCH_MEMBER } from "@/lib/team/members";
import type { Executor } from "@/db/client";
import { ActionRefusal } from "@/lib/actions/refusal";
import { apiError, apiRoute, readOptionalJson } from "./handler";

type MemberChange = (tx: Executor, actor: { id: string; accountId: string; email: string }, userId: string) => Promise<{ id: string; email: string; status: string }>;

/** POST /api/v1/users/{id}/disable|enable: the console's rules, audited with the key's prefix. */
export function memberChangeRoute(auditAction: string, change: MemberChange) {
  return apiRoute({ role: "primary", scope: "members:write" }, async (req, { caller, db, request, params }) => {
    await readOptionalJson(req);
    const id = z.uuid().safeParse(params.id);
    if (!id.success) return apiError(404, "not_found", NO_SUCH_MEMBER);
    try {
      const member = await db.transaction(async (tx) => {
        const changed = await change(tx, caller.user, id.data);
        await recordAudit(tx, {
          accountId: caller.user.accountId,
          actorId: caller.user.id,
          action: auditAction,
          target: { type: "user", id: changed.id },
          details: { email: changed.email, via: "api", apiKey: caller.keyPrefix },
          context: request,
        });
        return changed;
      });
      kickEmailDelivery();
      return Response.json({ id: member.id, email: member.email, status: auditAction === "member.disabled" ? "disabled" : "active" });
    } catch (error) {
      if (error instanceof ActionRefusal && error.message === NO_SUCH_MEMBER) return apiError(404, "not_found", NO_SUCH_MEMBER);
      throw error;
    }
  });
}
