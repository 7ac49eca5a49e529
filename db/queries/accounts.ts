import { accounts } from "@/db/schema";
import type { TwoFactorPolicy } from "@/lib/auth/two-factor-policy";

/**
 * P4: the account's "Enforce 2FA" settings, selected wherever a caller is let in (a
 * session, an API key) so that each computes the same gate from the same columns.
 */
export const twoFactorPolicyColumns = {
  enforceTwoFactor: accounts.enforceTwoFactor,
  twoFactorScope: accounts.twoFactorScope,
  twoFactorGraceDays: accounts.twoFactorGraceDays,
  twoFactorEnforcedSince: accounts.twoFactorEnforcedSince,
} satisfies Record<keyof TwoFactorPolicy, unknown>;
