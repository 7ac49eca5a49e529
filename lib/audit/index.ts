import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { RequestContext } from "@/lib/request";
import type { AuditEvent } from "./events";

export { AUDIT_EVENTS, type AuditEvent } from "./events";

export type AuditInput = {
  accountId: string | null;
  actorId: string | null;
  action: AuditEvent;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
  context: RequestContext;
};

/** O1: written in the same transaction as the change it records. */
export async function recordAudit(tx: Executor, event: AuditInput) {
  await tx.insert(auditEvents).values({
    accountId: event.accountId,
    actorId: event.actorId,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    ip: event.context.ip,
    userAgent: event.context.userAgent,
    details: event.details ?? {},
  });
}

/**
 * An audit event by a principal: who, from where, and — for an API key — which key, so a
 * console action and the same operation through /api/v1 leave the same record.
 */
export async function recordAuditBy(
  tx: Executor,
  actor: { principal: { id: string; accountId: string; via: { kind: string; keyPrefix?: string } }; request: RequestContext },
  event: Pick<AuditInput, "action" | "target" | "details">,
) {
  const { principal, request } = actor;
  const via = principal.via.kind === "api_key" ? { via: "api", apiKey: principal.via.keyPrefix } : {};
  await recordAudit(tx, { ...event, details: { ...event.details, ...via }, accountId: principal.accountId, actorId: principal.id, context: request });
}

/** Several events by one principal in one insert (A7: every grant a rule makes or takes back). */
export async function recordAuditManyBy(
  tx: Executor,
  actor: { principal: { id: string; accountId: string; via: { kind: string; keyPrefix?: string } }; request: RequestContext },
  events: readonly Pick<AuditInput, "action" | "target" | "details">[],
) {
  const { principal, request } = actor;
  const via = principal.via.kind === "api_key" ? { via: "api", apiKey: principal.via.keyPrefix } : {};
  for (let i = 0; i < events.length; i += 1000) {
    await tx.insert(auditEvents).values(
      events.slice(i, i + 1000).map((event) => ({
        accountId: principal.accountId,
        actorId: principal.id,
        action: event.action,
        targetType: event.target?.type ?? null,
        targetId: event.target?.id ?? null,
        ip: request.ip,
        userAgent: request.userAgent,
        details: { ...event.details, ...via },
      })),
    );
  }
}
