"use server";

import { z } from "zod";
import { verifyAuditChain } from "@/db/queries/audit";
import { defineAction } from "@/lib/actions/define-action";
import { RETENTION_DAYS_MAX, RETENTION_DAYS_MIN, setAuditRetention as setRetention } from "@/lib/audit/retention";
import { auditLabel } from "@/lib/audit/events";

// O1: "Verify integrity" recomputes the account's chain; the check itself is audited.
export const verifyAuditIntegrity = defineAction({
  name: "audit.verify",
  permission: "audit.read",
  input: z.object({}),
  run: async (ctx) => {
    const report = await verifyAuditChain(ctx.tx, ctx.user.accountId);
    await ctx.audit({ action: "audit.verified", target: { type: "account", id: ctx.user.accountId }, details: { rows: report.rows, ok: !report.broken, brokenId: report.broken?.id ?? null } });
    return {
      rows: report.rows,
      broken: report.broken && { id: report.broken.id, at: report.broken.createdAt.toISOString(), action: auditLabel(report.broken.action), problem: report.broken.problem },
    };
  },
});

// O1: how long the account keeps its log (step-up: shortening it removes evidence).
export const setAuditRetention = defineAction({
  name: "audit.retention",
  permission: "security.manage",
  revalidate: "/audit",
  input: z.object({
    days: z.union([
      z.literal(null),
      z.coerce.number({ error: "Enter a number of days." }).int("Enter whole days.").min(RETENTION_DAYS_MIN, `At least ${RETENTION_DAYS_MIN} days.`).max(RETENTION_DAYS_MAX, `At most ${RETENTION_DAYS_MAX} days.`),
    ]),
  }),
  stepUp: (input) => ({ targetId: "account", label: input.days === null ? "keep the audit log forever" : `keep the audit log for ${input.days} days` }),
  run: (ctx, input) => setRetention(ctx.tx, ctx.actor, input),
});

