import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts } from "@/db/schema";
import type { TwoFactorPolicy } from "@/lib/auth/two-factor-policy";

/**
 * P4: the account's "Enforce 2FA" settings, selected wherever a caller is let in (a
 * session, an API key) so that each computes the same gate from the same columns.
 */
export const twoFactorPolicyColumns = {
  enforceTwoFactor: accounts.enforceTwoFactor,
  twoFactorRoles: accounts.twoFactorRoles,
  twoFactorGraceDays: accounts.twoFactorGraceDays,
  twoFactorEnforcedSince: accounts.twoFactorEnforcedSince,
} satisfies Record<keyof TwoFactorPolicy, unknown>;

/** P4: an account's "Enforce 2FA" settings. */
export async function findTwoFactorPolicy(db: Executor, accountId: string): Promise<TwoFactorPolicy> {
  const [policy] = await db.select(twoFactorPolicyColumns).from(accounts).where(eq(accounts.id, accountId));
  return policy;
}

export async function findAccountName(db: Executor, accountId: string): Promise<string | null> {
  const [row] = await db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId));
  return row?.name ?? null;
}
