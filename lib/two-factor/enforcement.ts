import type { Executor } from "@/db/client";
import { findTwoFactorPolicy } from "@/db/queries/accounts";
import type { Principal } from "@/lib/auth/principal";
import { enforcementApplies } from "@/lib/auth/two-factor-policy";

/** P4: whether the account's administrator requires 2FA of this person (then it cannot be turned off). */
export async function twoFactorEnforcedFor(db: Executor, principal: Principal): Promise<boolean> {
  return enforcementApplies(await findTwoFactorPolicy(db, principal.accountId), principal);
}
