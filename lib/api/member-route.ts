import { z } from "zod";
import type { Executor } from "@/db/client";
import { kickEmailDelivery } from "@/lib/email";
import { NO_SUCH_MEMBER } from "@/lib/team/members";
import type { Actor } from "@/lib/actions/actor";
import { apiRoute, readOptionalJson, refusalResponse } from "./handler";

type MemberChange = (tx: Executor, actor: Actor, input: { userId: string }) => Promise<{ id: string; email: string; status: string }>;

/** POST /api/v1/users/{id}/disable|enable: the console's operation, audited with the key's prefix. */
export function memberChangeRoute(change: MemberChange) {
  return apiRoute({ scope: "members:write" }, async (req, { principal, db, request, params }) => {
    await readOptionalJson(req);
    const id = z.uuid().safeParse(params.id);
    if (!id.success) return refusalResponse("not_found", NO_SUCH_MEMBER);
    const member = await db.transaction((tx) => change(tx, { principal, request }, { userId: id.data }));
    kickEmailDelivery();
    return Response.json({ id: member.id, email: member.email, status: member.status });
  });
}
