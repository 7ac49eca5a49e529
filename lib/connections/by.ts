import type { Executor } from "@/db/client";
import type { Actor } from "@/lib/actions/actor";
import { recordAudit, recordAuditBy, type AuditInput } from "@/lib/audit";

/**
 * Who changes a connection: a principal in the console, or the operator running
 * `npm run configure` (B5: the CLI binds the same operations). The operator has no member
 * row; their changes are audited with no actor and `via: "cli"`.
 */
export type ConnectionsBy = Actor | { operator: "cli"; accountId: string };

export const accountOf = (by: ConnectionsBy) => ("principal" in by ? by.principal.accountId : by.accountId);

export async function auditConnection(tx: Executor, by: ConnectionsBy, event: Pick<AuditInput, "action" | "target" | "details">) {
  if ("principal" in by) return recordAuditBy(tx, by, event);
  await recordAudit(tx, { ...event, details: { ...event.details, via: "cli" }, accountId: by.accountId, actorId: null, context: { ip: null, userAgent: "npm run configure" } });
}
