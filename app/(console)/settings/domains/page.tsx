import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listDomains, listJoinRequests } from "@/db/queries/connections";
import { JoinRequests } from "@/components/connections/join-requests";
import { DomainsPanel } from "@/components/connections/domains-panel";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { SYSTEM_ROLES } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { verificationRecord } from "@/lib/connections/dns";
import { JOIN_ROLES } from "@/lib/connections/domains";

export const metadata: Metadata = { title: "Verified domains" };

/** B5: domains the account proves it holds by DNS, and who joins from them through the identity provider. */
export default async function DomainsPage() {
  const user = await requirePermission("connections.manage");
  const db = await getDb();
  const [domains, waiting] = await Promise.all([listDomains(db, user.accountId), listJoinRequests(db, user.accountId)]);
  return (
    <section className="max-w-3xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Verified domains</h1>
        <p className="text-sm text-slate-600">
          Prove that your organisation holds an email domain with a DNS record. For a verified domain you choose whether people of that domain who sign in through
          your identity provider join automatically or wait for an administrator&apos;s approval. An unverified domain grants nothing.
        </p>
      </div>
      {waiting.length > 0 ? <JoinRequests on="domains" requests={waiting.map((r) => ({ id: r.id, email: r.email, name: r.name, requestedAt: r.createdAt.toISOString() }))} /> : null}
      <StepUpProvider>
        <DomainsPanel
          domains={domains.map((d) => ({
            id: d.id,
            domain: d.domain,
            verified: Boolean(d.verifiedAt),
            record: verificationRecord(d.domain, d.token),
            joinMode: d.joinMode,
            defaultRole: JOIN_ROLES.find((key) => key === d.defaultRole) ?? "member",
          }))}
          roles={JOIN_ROLES.map((key) => ({ key, name: SYSTEM_ROLES[key].name }))}
        />
      </StepUpProvider>
    </section>
  );
}
