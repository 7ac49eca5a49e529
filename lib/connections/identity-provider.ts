import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { identityProviders } from "@/db/schema";
import { refuse } from "@/lib/actions/refusal";
import { config } from "@/lib/config";
import { encrypt } from "@/lib/crypto";
import { SSO_PROVIDER_PREFIX } from "@/lib/sso/providers";
import { accountOf, auditConnection, type ConnectionsBy } from "./by";
import { domainName } from "./domains";

const loopback = (url: URL) => ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
const consoleIsLocal = () => loopback(new URL(config().appUrl)) && config().appUrl.startsWith("http:");

/**
 * An issuer as OpenID Connect discovery needs it: https, no trailing slash. Plain http only
 * to this machine, and only for a console that itself runs on this machine (development,
 * tests): a deployed console must not be made to probe its own host's ports.
 */
export const issuerField = z
  .string()
  .trim()
  .min(1, "Enter the issuer URL.")
  .refine((value) => URL.canParse(value), "Enter the issuer as a full URL, such as https://accounts.google.com.")
  .transform((value) => new URL(value))
  .refine((url) => url.protocol === "https:" || (url.protocol === "http:" && loopback(url) && consoleIsLocal()), "The issuer must use https.")
  .refine((url) => !url.search && !url.hash && !/\{|%7B/i.test(url.pathname), "Replace the placeholder in the issuer URL (for Microsoft, your directory's tenant ID).")
  .transform((url) => url.toString().replace(/\/$/, ""));

export const identityProviderFields = z.object({
  issuer: issuerField,
  clientId: z.string().trim().min(1, "Enter the client ID.").max(500),
  /** Blank: keep the stored secret (it is never sent back to the browser). */
  clientSecret: z.string().max(2000).default(""),
  emailDomains: z.array(domainName).min(1, "Enter at least one email domain.").max(50),
  ssoOnly: z.boolean().default(false),
});

export const identityProviderInput = identityProviderFields.extend({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{2,40}$/, "The sign-in name is 2 to 40 lower-case letters, digits or dashes."),
});
export type IdentityProviderInput = z.output<typeof identityProviderInput>;

/** The redirect URI to register at the IdP for a slug. */
export const redirectUriFor = (slug: string) => `${config().appUrl}/api/auth/callback/${SSO_PROVIDER_PREFIX}${slug}`;

/**
 * B5/T7: connects or changes the account's OpenID Connect IdP. The client secret is kept
 * encrypted (lib/crypto) and never read back; a blank secret keeps the stored one.
 */
export async function saveIdentityProvider(tx: Executor, by: ConnectionsBy, input: IdentityProviderInput) {
  const accountId = accountOf(by);
  const [current] = await tx.select().from(identityProviders).where(eq(identityProviders.accountId, accountId)).for("update");
  const secret = input.clientSecret.trim();
  if (!secret && !current) refuse("Enter the client secret.", "invalid");
  const [slugTaken] = await tx
    .select({ accountId: identityProviders.accountId })
    .from(identityProviders)
    .where(and(eq(identityProviders.slug, input.slug), ne(identityProviders.accountId, accountId)));
  if (slugTaken) refuse("Another account uses that sign-in name. Choose another.");
  const emailDomains = [...new Set(input.emailDomains)];
  const row = {
    slug: input.slug,
    issuer: input.issuer,
    clientId: input.clientId,
    clientSecretEncrypted: secret ? encrypt(secret) : current!.clientSecretEncrypted,
    emailDomains,
    ssoOnly: input.ssoOnly,
  };
  await tx.insert(identityProviders).values({ accountId, ...row }).onConflictDoUpdate({ target: identityProviders.accountId, set: row });
  await auditConnection(tx, by, {
    action: "identity_provider.saved",
    target: { type: "identity_provider", id: input.slug },
    // Never the secret: only whether it changed.
    details: { issuer: input.issuer, clientId: input.clientId, emailDomains, ssoOnly: input.ssoOnly, secretChanged: Boolean(secret), created: !current },
  });
  return { slug: input.slug, redirectUri: redirectUriFor(input.slug) };
}

/** B5: disconnects the IdP. People keep their membership; SSO-only ends with it. */
export async function removeIdentityProvider(tx: Executor, by: ConnectionsBy) {
  const removed = await tx.delete(identityProviders).where(eq(identityProviders.accountId, accountOf(by))).returning({ slug: identityProviders.slug });
  if (removed.length === 0) refuse("No identity provider is connected to this account.", "not_found");
  await auditConnection(tx, by, { action: "identity_provider.removed", target: { type: "identity_provider", id: removed[0].slug } });
  return { slug: removed[0].slug };
}
