import type { ActivityEntry } from "@/lib/activity/log";
import type { AuditLogEntry } from "@/lib/audit/log";

/**
 * O1: an audit event as GET /api/v1/audit-events lists it — what the Audit log page shows
 * (who in its words, the action's label, the target, the result) and what its export holds.
 * `cursor` marks its place: `cursor=` it for older events, `after=` it for newer ones.
 */
export function auditEventJson(entry: AuditLogEntry, cursor: string) {
  return {
    id: entry.id,
    time: entry.createdAt.toISOString(),
    actor: { id: entry.actorId, name: entry.actorName, email: entry.actorEmail, label: entry.actorLabel },
    action: entry.action,
    actionLabel: entry.label,
    result: entry.result,
    target: entry.targetType || entry.targetId ? { type: entry.targetType, id: entry.targetId, email: entry.targetEmail, label: entry.targetLabel } : null,
    ip: entry.ip,
    userAgent: entry.userAgent,
    details: entry.details,
    cursor,
  };
}

/** O2: a sign-in attempt as GET /api/v1/sign-in-attempts lists it — the Activity page's columns and its export's. */
export function signInAttemptJson(entry: ActivityEntry, cursor: string) {
  return {
    id: entry.id,
    time: entry.createdAt.toISOString(),
    user: entry.userId ? { id: entry.userId, name: entry.userName } : null,
    email: entry.email,
    result: entry.result,
    resultLabel: entry.resultLabel,
    failed: entry.failed,
    method: entry.method,
    methodLabel: entry.methodLabel,
    detail: entry.detail,
    ip: entry.ip,
    userAgent: entry.userAgent,
    cursor,
  };
}
