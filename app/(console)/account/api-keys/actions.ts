"use server";

import { z } from "zod";
import { defineAction, refuse } from "@/lib/actions/define-action";
import { createApiKey, revokeApiKey, scopeRefusal } from "@/lib/api-keys";
import { API_SCOPE_NAMES, canonicalScopes } from "@/lib/api/scopes";
import { nameField } from "@/lib/team/schemas";

/**
 * P6: creating a key needs step-up (S1) whatever its scopes; the code is bound to the
 * input, scopes included, so a code sent for a read-only key cannot make a writing one.
 * The key is shown once.
 */
export const createApiKeyAction = defineAction({
  name: "api_key.create",
  permission: "api_keys.create",
  revalidate: "/account/api-keys",
  input: z.object({
    name: nameField.pipe(z.string().min(1, "Name the key, e.g. after the script that uses it.")),
    expiresInDays: z.union([z.literal(30), z.literal(90), z.literal(365), z.null()], { error: "Choose when the key expires." }),
    scopes: z
      .array(z.enum(API_SCOPE_NAMES, { error: "Choose scopes from the list." }), { error: "Choose at least one scope." })
      .min(1, "Choose at least one scope.")
      .max(API_SCOPE_NAMES.length, "Choose scopes from the list.")
      .transform(canonicalScopes),
  }),
  // Refused before any code is sent (createApiKey refuses again, for every other caller).
  check: async ({ user }, input) => {
    const refusal = scopeRefusal(user, input.scopes);
    if (refusal) refuse(refusal);
  },
  stepUp: (input) => ({ targetId: "new", label: `create the API key "${input.name}" with the scopes ${input.scopes.join(", ")}` }),
  run: async ({ tx, user, audit }, input) => {
    const created = await createApiKey(tx, user, input);
    await audit({
      action: "api_key.created",
      target: { type: "api_key", id: created.id },
      details: { name: input.name, prefix: created.prefix, expiresInDays: input.expiresInDays, scopes: created.scopes },
    });
    return { key: created.key, prefix: created.prefix };
  },
});

export const revokeApiKeyAction = defineAction({
  name: "api_key.revoke",
  revalidate: "/account/api-keys",
  input: z.object({ keyId: z.uuid({ error: "No such API key." }) }),
  run: async ({ tx, user, audit }, input) => {
    const revoked = await revokeApiKey(tx, user, input.keyId);
    if (!revoked) refuse("No such API key.");
    await audit({ action: "api_key.revoked", target: { type: "api_key", id: revoked.id }, details: { name: revoked.name, prefix: revoked.prefix } });
    return { prefix: revoked.prefix };
  },
});
