import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ScimDeleteCard } from "@/components/provisioning/scim-delete-card";
import { ScimTokensPanel } from "@/components/provisioning/scim-tokens-panel";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { CopyButton } from "@/components/ui/copy-button";
import { requirePermission } from "@/lib/auth/session";
import { provisioningOverview } from "@/lib/scim/tokens";

export const metadata: Metadata = { title: "Provisioning" };

/** B3: the account's SCIM endpoint, its tokens, and what the identity provider's requests do here. */
export default async function ProvisioningPage() {
  const user = await requirePermission("provisioning.manage");
  const { endpoint, tokens, throughIdentityProvider, deleteAction, refusal } = await provisioningOverview(await getDb(), user);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return (
    <section className="max-w-4xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Provisioning</h1>
        <p className="text-sm text-slate-600">
          Your identity provider (Okta, Microsoft Entra ID, Google Workspace…) creates, updates, disables and groups your members through SCIM 2.0.
        </p>
      </div>
      <section aria-labelledby="scim-endpoint-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="scim-endpoint-title" className="text-lg font-medium">
          SCIM endpoint
        </h2>
        <div className="flex gap-2">
          <input aria-label="SCIM base URL" readOnly value={endpoint} className="flex-1 rounded-md border border-slate-500 bg-white px-3 py-2 font-mono text-sm" />
          <CopyButton text={endpoint} />
        </div>
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
          <li>Authentication: HTTP header, bearer token — a SCIM token from below.</li>
          <li>
            New people{" "}
            {throughIdentityProvider
              ? "are Active at once and sign in with single sign-on (no invitation email, no password)."
              : "are invited by email and set a password (connect an identity provider for single sign-on)."}{" "}
            They start as Members; groups give them more.
          </li>
          <li>Groups are this account&apos;s roles, matched by name: put people in a group named Manager to give them the Manager role.</li>
          <li>
            A group pushed with a new name becomes a custom role with no permissions: choose them on Roles. Deleting that group in the identity provider deletes the role (its
            holders keep their other roles, or Member).
          </li>
          <li>Deactivating someone disables them: their sessions end at once, their content stays.</li>
          <li>Deleting someone {deleteAction === "anonymise" ? "anonymises them (below)" : "disables them too (below: or anonymise them)"}.</li>
        </ul>
      </section>
      <StepUpProvider>
        <ScimDeleteCard action={deleteAction} />
        <ScimTokensPanel
          refusal={refusal}
          tokens={tokens.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), lastUsedAt: iso(t.lastUsedAt), revokedAt: iso(t.revokedAt) }))}
        />
      </StepUpProvider>
    </section>
  );
}
