import type { Tx } from "@/db/client";
import { updateProfile } from "@/db/queries/profile";
import { setUserName } from "@/db/queries/users";
import { refuse } from "@/lib/actions/refusal";
import { recordAudit } from "@/lib/audit";
import type { Principal } from "@/lib/auth/principal";
import type { RequestContext } from "@/lib/request";

export type PersonalDetails = { name: string; phone: string };

/** P5: one's own name and phone, audited. */
export async function updatePersonalDetails(tx: Tx, principal: Principal, input: PersonalDetails, request: RequestContext) {
  // T7: the identity provider owns the name of SSO members.
  if (principal.ssoManaged && input.name !== principal.name) refuse("Your name comes from your identity provider; change it there.");
  await setUserName(tx, principal.id, input.name);
  await updateProfile(tx, principal.id, { phone: input.phone || null });
  await recordAudit(tx, {
    accountId: principal.accountId,
    actorId: principal.id,
    action: "profile.updated",
    target: { type: "user", id: principal.id },
    details: { fields: ["name", "phone"] },
    context: request,
  });
  return input;
}
