"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { identityProviderFields, identityProviderInput, removeIdentityProvider, saveIdentityProvider } from "@/lib/connections/identity-provider";
import { createIdentityProviderTest, describeTestResult, findIdentityProviderTest } from "@/lib/connections/idp-test";

// B5: the account's identity provider. Saving and removing change how everyone signs in:
// "Verify it's you" first. A test sign-in changes nothing, so it needs no code.
export const saveIdentityProviderAction = defineAction({
  name: "identity_provider.save",
  permission: "connections.manage",
  revalidate: "/settings/identity-provider",
  input: identityProviderInput,
  stepUp: (input) => ({ targetId: "identity_provider", label: `connect the identity provider ${input.issuer}` }),
  run: (ctx, input) => saveIdentityProvider(ctx.tx, ctx.actor, input),
});

export const removeIdentityProviderAction = defineAction({
  name: "identity_provider.remove",
  permission: "connections.manage",
  revalidate: "/settings/identity-provider",
  input: z.object({}),
  stepUp: () => ({ targetId: "identity_provider", label: "remove the identity provider" }),
  run: (ctx) => removeIdentityProvider(ctx.tx, ctx.actor),
});

export const startIdentityProviderTest = defineAction({
  name: "identity_provider.test",
  permission: "connections.manage",
  input: identityProviderFields,
  run: (ctx, input) => createIdentityProviderTest(ctx.tx, ctx.actor, input),
});

/** Read-only: what the popup's test sign-in came to (the popup's message only says it finished). */
export const readIdentityProviderTest = defineAction({
  name: "identity_provider.test_result",
  permission: "connections.manage",
  input: z.object({ testId: z.uuid() }),
  run: async (ctx, input) => {
    const row = await findIdentityProviderTest(ctx.tx, ctx.user, input.testId);
    return row ? describeTestResult(row) : { outcome: "failed" as const, message: "This test sign-in has expired. Start it again." };
  },
});
