import { z } from "zod";
import { recordAudit } from "@/lib/audit";
import { kickEmailDelivery } from "@/lib/email";
import { NO_SUCH_MEMBER, type MemberActor } from "@/lib/team/members";
import type { Executor } from "@/db/client";
import { apiRoute, readOptionalJson, refusalResponse } from "./handler";

type MemberChange = (tx: Executor, actor: MemberActor, userId: string) => Promise<{ id: string; email: string; status: string }>;

/** POST /api/v1/users/{id}/disable|enable: the console's rules, audited with the key's prefix. */
export function memberChangeRoute(auditAction: "member.disabled" | "member.enabled", change: MemberChange) {
  return apiRoute({ scope: "members:write" }, async (req, { principal, db, request, params }) => {
    await readOptionalJson(req);
    const id = z.uuid().safeParse(params.id);
    if (!id.success) return refusalResponse("not_found", NO_SUCH_MEMBER);
    const member = await db.transaction(async (tx) => {
      const changed = await change(tx, principal, id.data);
      await recordAudit(tx, {
        accountId: principal.accountId,
        actorId: principal.id,
        action: auditAction,
        target: { type: "user", id: changed.id },
        details: { email: changed.email, via: "api", apiKey: principal.via.keyPrefix },
        context: request,
      });
      return changed;
    });
    kickEmailDelivery();
    return Response.json({ id: member.id, email: member.email, status: auditAction === "member.disabled" ? "disabled" : "active" });
  });
}
