import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { findAccountName } from "@/db/queries/accounts";
import { describeIdentityProvider, listDomains } from "@/db/queries/connections";
import { IdentityProviderForm } from "@/components/connections/identity-provider-form";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { Badge } from "@/components/ui/badge";
import { requirePermission } from "@/lib/auth/session";
import { redirectUriFor } from "@/lib/connections/identity-provider";
import { testRedirectUri } from "@/lib/connections/idp-test";

export const metadata: Metadata = { title: "Identity provider" };

/** B5: the account's OpenID Connect identity provider (Settings → Identity provider). */
export default async function IdentityProviderPage() {
  const user = await requirePermission("connections.manage");
  const db = await getDb();
  const [saved, domains, account] = await Promise.all([describeIdentityProvider(db, user.accountId), listDomains(db, user.accountId), findAccountName(db, user.accountId)]);
  const defaultSlug = (account ?? "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "sso";
  const verified = new Set(domains.filter((d) => d.verifiedAt).map((d) => d.domain));
  return (
    <section className="max-w-3xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Identity provider</h1>
        <p className="text-sm text-slate-600">
          Connect your OpenID Connect identity provider (Okta, Google Workspace, Microsoft Entra ID…). Register these redirect URIs in its client settings: the
          first for signing in, the second for the test sign-in.
        </p>
        <ul className="space-y-1 font-mono text-xs text-slate-800">
          <li>{redirectUriFor(saved?.slug ?? defaultSlug)}</li>
          <li>{testRedirectUri()}</li>
        </ul>
      </div>
      {saved ? (
        <section aria-labelledby="idp-domains-heading" className="space-y-2">
          <h2 id="idp-domains-heading" className="text-lg font-semibold">
            Email domains
          </h2>
          <ul className="space-y-1 text-sm">
            {saved.emailDomains.map((domain) => (
              <li key={domain} className="flex items-center gap-2">
                {domain} {verified.has(domain) ? <Badge tone="green">Verified</Badge> : <Badge tone="amber">Not verified: grants nothing yet</Badge>}
              </li>
            ))}
          </ul>
          <p className="text-sm text-slate-600">
            Only a <a className="font-medium underline" href="/settings/domains">verified domain</a> sends people to this identity provider and lets new people join.
          </p>
        </section>
      ) : null}
      <StepUpProvider>
        <IdentityProviderForm saved={saved} defaultSlug={defaultSlug} />
      </StepUpProvider>
    </section>
  );
}
