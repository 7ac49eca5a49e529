"use server";

import { z } from "zod";
import { defineAction, refuse } from "@/lib/actions/define-action";
import { createScimToken, revokeScimToken, scimTokenRefusal, setScimDeleteAction } from "@/lib/scim/tokens";
import { nameField } from "@/lib/team/schemas";

/**
 * B3: a SCIM token lets an identity provider add, change and disable members, so making
 * one needs step-up (S1); it is shown once. createScimToken writes its audit event.
 */
export const createScimTokenAction = defineAction({
  name: "scim_token.create",
  permission: "provisioning.manage",
  revalidate: "/settings/provisioning",
  input: z.object({ name: nameField.pipe(z.string().min(1, "Name the token, e.g. after the identity provider that uses it.")) }),
  // Refused before any code is sent (createScimToken refuses again).
  check: async ({ user }) => {
    const refusal = scimTokenRefusal(user);
    if (refusal) refuse(refusal, "forbidden");
  },
  stepUp: (input) => ({ targetId: "new", label: `create the SCIM token "${input.name}"` }),
  run: async ({ tx, actor }, input) => {
    const created = await createScimToken(tx, actor, input);
    return { token: created.token, prefix: created.prefix };
  },
});

/** Revoking only takes access away: no code needed (as an API key's). */
export const revokeScimTokenAction = defineAction({
  name: "scim_token.revoke",
  permission: "provisioning.manage",
  revalidate: "/settings/provisioning",
  input: z.object({ tokenId: z.uuid({ error: "No such SCIM token." }) }),
  run: async ({ tx, actor }, input) => {
    const revoked = await revokeScimToken(tx, actor, input);
    return { prefix: revoked.prefix };
  },
});

/**
 * B3, T4: what the identity provider's DELETE of a person does — disable, or anonymise for
 * good. Step-up either way (it decides whether personal data outlives the IdP's deletion);
 * setScimDeleteAction writes its audit event.
 */
export const setScimDeleteActionAction = defineAction({
  name: "scim.delete_action",
  permission: "provisioning.manage",
  revalidate: "/settings/provisioning",
  input: z.object({ action: z.enum(["disable", "anonymise"], { error: "Choose Disable or Anonymise." }) }),
  stepUp: (input) => ({
    targetId: "account",
    label: input.action === "anonymise" ? "anonymise the people your identity provider deletes" : "disable the people your identity provider deletes",
  }),
  run: ({ tx, actor }, input) => setScimDeleteAction(tx, actor, input),
});
