import type { Executor } from "@/db/client";
import { setExpiryWarningDays as writeWarningDays } from "@/db/queries/expiry";
import type { Actor } from "@/lib/actions/actor";
import { recordAuditBy } from "@/lib/audit";

export const WARNING_DAYS_MAX = 90;

/** A5: how many days before their access ends members are warned by email (step-up, audited). */
export async function setExpiryWarningDays(tx: Executor, actor: Actor, input: { days: number }) {
  const before = await writeWarningDays(tx, actor.principal.accountId, input.days);
  await recordAuditBy(tx, actor, { action: "access.warning_days_changed", target: { type: "account", id: actor.principal.accountId }, details: { before, after: input.days } });
  return { days: input.days };
}
