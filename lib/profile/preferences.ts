import type { Tx } from "@/db/client";
import { countOwnLinesOfBusiness, countOwnSubAccounts, updateProfile } from "@/db/queries/profile";
import { refuse } from "@/lib/actions/refusal";
import type { Principal } from "@/lib/auth/principal";

export type Preferences = { defaultLineOfBusinessId: string | null; highlightedSubAccountIds: string[] };

/** P5 preferences: only options the account keeps (A1). */
export async function updatePreferences(tx: Tx, principal: Principal, input: Preferences) {
  const subIds = [...new Set(input.highlightedSubAccountIds)];
  if (input.defaultLineOfBusinessId && (await countOwnLinesOfBusiness(tx, principal.accountId, [input.defaultLineOfBusinessId])) !== 1) {
    refuse("Choose a line of business from the list.");
  }
  if ((await countOwnSubAccounts(tx, principal.accountId, subIds)) !== subIds.length) refuse("Choose sub-accounts from the list.");
  await updateProfile(tx, principal.id, { defaultLineOfBusinessId: input.defaultLineOfBusinessId, highlightedSubAccountIds: subIds });
  return {};
}

/** P5 communication settings: respected by the product-update sender (lib/email/product-updates). */
export async function setProductUpdates(tx: Tx, principal: Principal, input: { productUpdates: boolean }) {
  await updateProfile(tx, principal.id, { productUpdates: input.productUpdates });
  return input;
}
