import { and, eq, isNotNull, ne } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { findDomain } from "@/db/queries/connections";
import { verifiedDomains } from "@/db/schema";
import { refuse } from "@/lib/actions/refusal";
import { randomToken } from "@/lib/crypto";
import { now } from "@/lib/clock";
import { accountOf, auditConnection, type ConnectionsBy } from "./by";
import { verificationRecord, type TxtLookup } from "./dns";

export const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => value.replace(/^@/, "").replace(/\.$/, ""))
  .pipe(z.string().regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Enter a domain such as example.com."));

/** B5: the roles someone may join with automatically; never an administrator's. */
export const JOIN_ROLES = ["member", "viewer", "manager", "developer", "data_scientist"] as const;

/** B5: claims a domain for the account. It grants nothing until verified. */
export async function addDomain(tx: Executor, by: ConnectionsBy, input: { domain: string }) {
  const accountId = accountOf(by);
  const parsed = domainName.safeParse(input.domain);
  if (!parsed.success) refuse(parsed.error.issues[0].message, "invalid");
  const [row] = await tx
    .insert(verifiedDomains)
    .values({ accountId, domain: parsed.data, token: randomToken(18) })
    .onConflictDoNothing()
    .returning();
  if (!row) refuse(`${parsed.data} is already on this account's list.`);
  await auditConnection(tx, by, { action: "domain.added", target: { type: "domain", id: row.domain } });
  return { id: row.id, domain: row.domain, record: verificationRecord(row.domain, row.token) };
}

/**
 * B5: looks the domain's TXT record up and marks it verified when the token is there. A
 * domain another account has verified cannot be verified again (one owner at a time).
 */
export async function verifyDomain(tx: Executor, by: ConnectionsBy, input: { domainId: string }, lookup: TxtLookup) {
  const accountId = accountOf(by);
  const row = await findDomain(tx, accountId, input.domainId);
  if (!row) refuse("That domain is not on this account's list.", "not_found");
  if (row.verifiedAt) return { domain: row.domain, verified: true as const };
  const record = verificationRecord(row.domain, row.token);
  const found = await lookup(record.name);
  const fail = (reason: string): never => refuse(`${row.domain} is not verified: ${reason}.`);
  if (!found.ok) return fail(found.reason);
  if (!found.values.includes(record.value)) {
    fail(found.values.length === 0 ? `no TXT record was found at ${record.name}` : `the TXT records at ${record.name} do not include ${record.value}`);
  }
  const [taken] = await tx
    .select({ id: verifiedDomains.id })
    .from(verifiedDomains)
    .where(and(eq(verifiedDomains.domain, row.domain), isNotNull(verifiedDomains.verifiedAt), ne(verifiedDomains.accountId, accountId)));
  if (taken) fail("another account has verified it");
  await tx.update(verifiedDomains).set({ verifiedAt: now() }).where(eq(verifiedDomains.id, row.id));
  await auditConnection(tx, by, { action: "domain.verified", target: { type: "domain", id: row.domain } });
  return { domain: row.domain, verified: true as const };
}

/** B5: for a verified domain, whether its people join by themselves (with which role) or wait for approval. */
export async function setDomainPolicy(tx: Executor, by: ConnectionsBy, input: { domainId: string; joinMode: "auto" | "approval"; defaultRole: (typeof JOIN_ROLES)[number] }) {
  const row = await findDomain(tx, accountOf(by), input.domainId);
  if (!row) refuse("That domain is not on this account's list.", "not_found");
  await tx.update(verifiedDomains).set({ joinMode: input.joinMode, defaultRole: input.defaultRole }).where(eq(verifiedDomains.id, row.id));
  await auditConnection(tx, by, { action: "domain.policy_changed", target: { type: "domain", id: row.domain }, details: { joinMode: input.joinMode, defaultRole: input.defaultRole } });
  return { domain: row.domain, joinMode: input.joinMode, defaultRole: input.defaultRole };
}

export async function removeDomain(tx: Executor, by: ConnectionsBy, input: { domainId: string }) {
  const row = await findDomain(tx, accountOf(by), input.domainId);
  if (!row) refuse("That domain is not on this account's list.", "not_found");
  await tx.delete(verifiedDomains).where(eq(verifiedDomains.id, row.id));
  await auditConnection(tx, by, { action: "domain.removed", target: { type: "domain", id: row.domain } });
  return { domain: row.domain };
}

/**
 * The operator's word (`npm run configure -- sso --domains …`) stands for DNS proof: the
 * person who runs the server is trusted with its accounts. Verified, people join as Members.
 */
export async function vouchForDomains(tx: Executor, by: { operator: "cli"; accountId: string }, domains: string[]) {
  for (const domain of domains) {
    const [taken] = await tx
      .select({ id: verifiedDomains.id })
      .from(verifiedDomains)
      .where(and(eq(verifiedDomains.domain, domain), isNotNull(verifiedDomains.verifiedAt), ne(verifiedDomains.accountId, by.accountId)));
    if (taken) refuse(`${domain} is verified by another account.`);
    await tx
      .insert(verifiedDomains)
      .values({ accountId: by.accountId, domain, token: randomToken(18), verifiedAt: now(), joinMode: "auto", defaultRole: "member" })
      .onConflictDoUpdate({ target: [verifiedDomains.accountId, verifiedDomains.domain], set: { verifiedAt: now() } });
    await auditConnection(tx, by, { action: "domain.verified", target: { type: "domain", id: domain } });
  }
}
