import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts } from "@/db/schema";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import type { Actor } from "@/lib/actions/actor";
import { chosenRoles } from "./roles";

export type EnforcementInput = { enabled: boolean; graceDays: number; audience: "everyone" | "roles"; roles: readonly string[] };

/** P4: the account's "Enforce 2FA" — for everyone, or for the chosen roles (custom ones too). */
export async function setTwoFactorEnforcement(tx: Executor, actor: Actor, input: EnforcementInput) {
  const { principal } = actor;
  // As GitHub does: whoever enforces 2FA uses it first, so they cannot lock themselves out.
  if (input.enabled && !principal.twoFactorEnabled) refuse("Set up two-factor authentication for yourself first (Personal Account).");
  const roles = input.audience === "roles" ? await chosenRoles(tx, principal.accountId, input.roles) : null;
  const [account] = await tx.select().from(accounts).where(eq(accounts.id, principal.accountId)).for("no key update");
  await tx
    .update(accounts)
    .set({
      enforceTwoFactor: input.enabled,
      twoFactorRoles: roles?.map((role) => role.key) ?? null,
      twoFactorGraceDays: input.graceDays,
      // The grace period counts from when enforcement was switched on.
      twoFactorEnforcedSince: input.enabled ? (account.enforceTwoFactor && account.twoFactorEnforcedSince ? account.twoFactorEnforcedSince : sql`now()`) : null,
    })
    .where(eq(accounts.id, principal.accountId));
  const details = { enabled: input.enabled, graceDays: input.graceDays, audience: input.audience, roles: roles?.map((role) => role.name) ?? [] };
  await recordAuditBy(tx, actor, { action: "two_factor.enforcement_changed", target: { type: "account", id: principal.accountId }, details });
  return details;
}

/** Checked before a code is sent. */
export function checkEnforcement(actor: Actor, input: EnforcementInput) {
  if (input.enabled && !actor.principal.twoFactorEnabled) refuse("Set up two-factor authentication for yourself first (Personal Account).");
}
