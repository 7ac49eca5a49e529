import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { identityProviders, joinRequests, verifiedDomains } from "@/db/schema";

/** The account's IdP as the console shows it: never the client secret, only that one is set. */
export async function describeIdentityProvider(db: Executor, accountId: string) {
  const [row] = await db
    .select({ slug: identityProviders.slug, issuer: identityProviders.issuer, clientId: identityProviders.clientId, emailDomains: identityProviders.emailDomains, ssoOnly: identityProviders.ssoOnly })
    .from(identityProviders)
    .where(eq(identityProviders.accountId, accountId));
  return row ? { ...row, secretSet: true } : null;
}

export async function listDomains(db: Executor, accountId: string) {
  return db.select().from(verifiedDomains).where(eq(verifiedDomains.accountId, accountId)).orderBy(asc(verifiedDomains.domain));
}

export async function findDomain(db: Executor, accountId: string, domainId: string) {
  const [row] = await db
    .select()
    .from(verifiedDomains)
    .where(and(eq(verifiedDomains.accountId, accountId), eq(verifiedDomains.id, domainId)));
  return row ?? null;
}

/** B5: the account's verified domain for an email domain; an unverified one is not returned. */
export async function findVerifiedDomain(db: Executor, accountId: string, domain: string) {
  const [row] = await db
    .select()
    .from(verifiedDomains)
    .where(and(eq(verifiedDomains.accountId, accountId), eq(verifiedDomains.domain, domain), isNotNull(verifiedDomains.verifiedAt)));
  return row ?? null;
}

export async function listJoinRequests(db: Executor, accountId: string) {
  return db
    .select({ id: joinRequests.id, email: joinRequests.email, name: joinRequests.name, createdAt: joinRequests.createdAt })
    .from(joinRequests)
    .where(eq(joinRequests.accountId, accountId))
    .orderBy(asc(joinRequests.createdAt));
}
