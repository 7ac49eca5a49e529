import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { auditRetentionOf } from "@/db/queries/audit";
import { AuditFilters } from "@/components/audit-log/audit-filters";
import { AuditTable } from "@/components/audit-log/audit-table";
import { RetentionCard } from "@/components/audit-log/retention-card";
import { VerifyIntegrity } from "@/components/audit-log/verify-integrity";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { auditFilterQuery, describeAuditFilter, parseAuditFilter } from "@/lib/audit/filter";
import { readAuditLog } from "@/lib/audit/log";
import { can } from "@/lib/auth/principal";
import { requirePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** O1: the account's audit log — filtered, paged by keyset, exportable, verifiable. */
export default async function AuditLogPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePermission("audit.read");
  const params = await searchParams;
  const filter = parseAuditFilter(params);
  const db = await getDb();
  const page = await readAuditLog(db, user, filter, { older: one(params.older), newer: one(params.newer) });
  const mayManageRetention = can(user, "security.manage");
  const retention = mayManageRetention ? await auditRetentionOf(db, user.accountId) : null;
  const link = (extra: Record<string, string>) => `/audit?${auditFilterQuery(filter, extra)}`;

  return (
    <section className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Audit log</h1>
          <p className="text-sm text-slate-600">Who did what, to whom, when and from where. Each event is chained to the one before it, so a changed or removed event shows.</p>
        </div>
        <VerifyIntegrity />
      </div>
      <AuditFilters filter={filter} />
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <p className="text-slate-600">Filter: {describeAuditFilter(filter)}</p>
        {can(user, "audit.export") ? (
          <p className="flex gap-4">
            <a href={`/audit/export?${auditFilterQuery(filter, { format: "csv" })}`} className="text-brand-700 underline" download>
              Export CSV
            </a>
            <a href={`/audit/export?${auditFilterQuery(filter, { format: "jsonl" })}`} className="text-brand-700 underline" download>
              Export JSON Lines
            </a>
          </p>
        ) : null}
      </div>
      <AuditTable entries={page.entries} caption="Audit events, newest first" />
      <KeysetPager label="Audit log pages" newer={page.newer} older={page.older} href={link} />
      {mayManageRetention ? (
        <StepUpProvider>
          <RetentionCard days={retention} />
        </StepUpProvider>
      ) : null}
    </section>
  );
}
