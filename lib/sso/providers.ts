import type { Provider } from "next-auth/providers";
import type { Executor } from "@/db/client";
import { identityProviders, verifiedDomains, type IdentityProvider } from "@/db/schema";
import { decrypt } from "@/lib/crypto";
import { and, eq, getTableColumns, isNotNull, sql } from "drizzle-orm";

export const SSO_PROVIDER_PREFIX = "sso-";

let cache: { at: number; providers: IdentityProvider[] } | undefined;

/** Every configured IdP; read at most every few seconds (next-auth builds its config per request). */
export async function loadIdentityProviders(db: Executor, options: { fresh?: boolean } = {}): Promise<IdentityProvider[]> {
  if (!options.fresh && cache && Date.now() - cache.at < 5000) return cache.providers;
  const providers = await db.select().from(identityProviders);
  cache = { at: Date.now(), providers };
  return providers;
}

/**
 * The IdP that serves an email address's domain, if any. B5: only a domain its account has
 * verified counts — otherwise any account could name another's domain and have that
 * domain's people sent to its own IdP.
 */
export async function findProviderForEmail(db: Executor, email: string) {
  const domain = email.trim().toLowerCase().split("@")[1];
  if (!domain) return null;
  const [row] = await db
    .select(getTableColumns(identityProviders))
    .from(identityProviders)
    .innerJoin(verifiedDomains, and(eq(verifiedDomains.accountId, identityProviders.accountId), eq(verifiedDomains.domain, domain), isNotNull(verifiedDomains.verifiedAt)))
    .where(sql`${domain} = any(${identityProviders.emailDomains})`)
    .limit(1);
  return row ?? null;
}

export async function findProviderOfAccount(db: Executor, accountId: string) {
  const [row] = await db.select().from(identityProviders).where(eq(identityProviders.accountId, accountId));
  return row ?? null;
}

/** An account's IdP as a next-auth OpenID Connect provider: discovery from the issuer; PKCE, state and nonce checked. */
export function toNextAuthProvider(idp: IdentityProvider): Provider {
  return {
    id: `${SSO_PROVIDER_PREFIX}${idp.slug}`,
    name: "Single sign-on",
    type: "oidc",
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: decrypt(idp.clientSecretEncrypted),
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: "openid email profile" } },
    // Our own resolution (lib/sso/members.ts) decides who this is; keep the raw claims.
    profile: (profile) => ({ id: String(profile.sub), email: typeof profile.email === "string" ? profile.email : null, name: typeof profile.name === "string" ? profile.name : null }),
  };
}
