"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { txtLookup } from "@/lib/connections/dns";
import { addDomain, domainName, JOIN_ROLES, removeDomain, setDomainPolicy, verifyDomain } from "@/lib/connections/domains";
import { approveJoinRequest, declineJoinRequest } from "@/lib/connections/join";

// B5: verified domains. Adding and verifying grant nothing by themselves (the DNS record
// is the proof); choosing who joins, and removing, change who gets in: "Verify it's you".
export const addDomainAction = defineAction({
  name: "domain.add",
  permission: "connections.manage",
  revalidate: "/settings/domains",
  input: z.object({ domain: domainName }),
  run: (ctx, input) => addDomain(ctx.tx, ctx.actor, input),
});

export const verifyDomainAction = defineAction({
  name: "domain.verify",
  permission: "connections.manage",
  revalidate: "/settings/domains",
  input: z.object({ domainId: z.uuid() }),
  run: (ctx, input) => verifyDomain(ctx.tx, ctx.actor, input, txtLookup()),
});

export const setDomainPolicyAction = defineAction({
  name: "domain.policy",
  permission: "connections.manage",
  revalidate: "/settings/domains",
  input: z.object({ domainId: z.uuid(), joinMode: z.enum(["auto", "approval"]), defaultRole: z.enum(JOIN_ROLES) }),
  stepUp: (input) => ({ targetId: input.domainId, label: input.joinMode === "auto" ? "let people of this domain join automatically" : "make people of this domain wait for approval" }),
  run: (ctx, input) => setDomainPolicy(ctx.tx, ctx.actor, input),
});

export const removeDomainAction = defineAction({
  name: "domain.remove",
  permission: "connections.manage",
  revalidate: "/settings/domains",
  input: z.object({ domainId: z.uuid() }),
  stepUp: (input) => ({ targetId: input.domainId, label: "remove this domain" }),
  run: (ctx, input) => removeDomain(ctx.tx, ctx.actor, input),
});

// B5/T7: the people waiting to join, decided here by whoever manages connections — in an
// SSO-only account the team table is the identity provider's, so this is where they wait.
export const approveJoinFromDomainsAction = defineAction({
  name: "join.approve_on_domains",
  permission: "connections.manage",
  revalidate: "/settings/domains",
  input: z.object({ requestId: z.uuid() }),
  run: (ctx, input) => approveJoinRequest(ctx.tx, ctx.actor, input),
});

export const declineJoinFromDomainsAction = defineAction({
  name: "join.decline_on_domains",
  permission: "connections.manage",
  revalidate: "/settings/domains",
  input: z.object({ requestId: z.uuid() }),
  run: (ctx, input) => declineJoinRequest(ctx.tx, ctx.actor, input),
});
