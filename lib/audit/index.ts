import { PgTransaction } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { appendAuditRow } from "@/db/queries/audit";
import { now } from "@/lib/clock";
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

/**
 * O1: written in the same transaction as the change it records, chained to the account's
 * previous row (db/queries/audit.ts). Given the database itself (an event with no change
 * to go with it), it takes a transaction of its own: the chain's lock must be held until
 * the row is committed. Its time is the clock's (lib/clock.ts), like expiry's.
 */
export async function recordAudit(tx: Executor, event: AuditInput) {
  const row = {
    accountId: event.accountId,
    actorId: event.actorId,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    ip: event.context.ip,
    userAgent: event.context.userAgent,
    details: event.details ?? {},
    at: now(),
  };
  if (tx instanceof PgTransaction) await appendAuditRow(tx, row);
  else await tx.transaction((inner) => appendAuditRow(inner, row));
}

/** How a principal came in, as far as its audit rows say (lib/auth/principal.ts Via). */
type AuditVia = { kind: string; keyPrefix?: string; tokenPrefix?: string; tokenName?: string };

/**
 * An audit event by a principal: who, from where, and — for an API key — which key, so a
 * console action and the same operation through /api/v1 leave the same record.
 */
export async function recordAuditBy(
  tx: Executor,
  actor: { principal: { id: string; accountId: string; via: AuditVia }; request: RequestContext },
  event: Pick<AuditInput, "action" | "target" | "details">,
) {
  const { principal, request } = actor;
  // B3: a SCIM token is no user; it is named by its prefix (the actor column names users only).
  const via =
    principal.via.kind === "api_key"
      ? { via: "api", apiKey: principal.via.keyPrefix }
      : principal.via.kind === "scim_token"
        ? { via: "scim", scimToken: principal.via.tokenPrefix, scimTokenName: principal.via.tokenName }
        : {};
  const actorId = principal.via.kind === "scim_token" ? null : principal.id;
  await recordAudit(tx, { ...event, details: { ...event.details, ...via }, accountId: principal.accountId, actorId, context: request });
}

/**
 * Several events by one principal (A7: every grant a rule makes or takes back), each
 * chained to the one before it (O1) — one at a time, as the chain needs.
 */
export async function recordAuditManyBy(
  tx: Executor,
  actor: { principal: { id: string; accountId: string; via: AuditVia }; request: RequestContext },
  events: readonly Pick<AuditInput, "action" | "target" | "details">[],
) {
  for (const event of events) await recordAuditBy(tx, actor, event);
}
