import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { getDb } from "@/db/client";
import { findTwoFactorPolicy } from "@/db/queries/accounts";
import { findExpiryWarningDays } from "@/db/queries/expiry";
import { ExpirySettingsCard } from "@/components/expiry/expiry-settings-card";
import { listMembers, MEMBER_SORTS, MEMBER_STATUSES } from "@/db/queries/members";
import { listUnitTree } from "@/db/queries/units";
import { listProperties } from "@/db/queries/properties";
import { PropertyFilter } from "@/components/properties/property-filter";
import { JoinRequests } from "@/components/connections/join-requests";
import { EnforcementCard } from "@/components/two-factor/enforcement-card";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { TeamTable, type TeamRow } from "@/components/team-table/team-table";
import { SYSTEM_ROLE_KEYS } from "@/lib/auth/permissions";
import { can } from "@/lib/auth/principal";
import { requirePermission } from "@/lib/auth/session";
import { twoFactorGate, twoFactorLabel } from "@/lib/auth/two-factor-policy";
import { config } from "@/lib/config";
import { listJoinRequests } from "@/db/queries/connections";
import { unitChoices, unitGrantChoices } from "@/lib/org-units/choices";
import { roleChoices, roleOptionsFor } from "@/lib/team/roles";

export const metadata: Metadata = { title: "User Management" };

// The URL is the table's state; anything malformed falls back to the default view.
const viewSchema = z.object({
  q: z.string().max(200).optional().catch(undefined),
  // A5: "expiring" is a view of the status filter, not a status of its own.
  status: z.enum([...MEMBER_STATUSES, "expiring"]).optional().catch(undefined),
  sort: z.enum(MEMBER_SORTS).catch("name"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
  // A predefined role's key or a custom role's ID; anything else shows everyone.
  role: z.union([z.enum(SYSTEM_ROLE_KEYS), z.uuid()]).optional().catch(undefined),
  // A4: a unit, with everything below it.
  unit: z.uuid().optional().catch(undefined),
  // A7: a property (by key) and the value it must have.
  prop: z.string().max(100).optional().catch(undefined),
  value: z.string().max(200).optional().catch(undefined),
});

export default async function UserManagementPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePermission("members.read");
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const view = viewSchema.parse({ q: first(raw.q), status: first(raw.status), sort: first(raw.sort) ?? "name", dir: first(raw.dir) ?? "asc", page: first(raw.page) ?? 1, role: first(raw.role), unit: first(raw.unit), prop: first(raw.prop) || undefined, value: first(raw.value) });
  const property = view.prop ? { key: view.prop, value: (view.value ?? "").trim() } : undefined;
  const db = await getDb();
  // Independent reads, side by side: the page waits for the slowest, not their sum.
  const [policy, roles, joinRequests, warningDays, tree, properties, result] = await Promise.all([
    findTwoFactorPolicy(db, user.accountId),
    roleChoices(db, user.accountId),
    can(user, "members.invite") ? listJoinRequests(db, user.accountId) : [],
    findExpiryWarningDays(db, user.accountId),
    listUnitTree(db, user.accountId),
    listProperties(db, user.accountId),
    listMembers(db, user, { staffEmailDomain: config().staffEmailDomain }, {
      search: view.q,
      status: view.status === "expiring" ? undefined : view.status,
      expiring: view.status === "expiring",
      role: view.role,
      unit: view.unit,
      property,
      sort: view.sort,
      direction: view.dir,
      page: view.page,
    }),
  ]);
  // Only what the table shows: these rows travel to the browser in the page.
  const rows: TeamRow[] = result.rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    roles: row.roles.map(({ key, name, unit }) => ({ key, name, unit: unit ? { id: unit.id, name: unit.name } : null })),
    kind: row.kind,
    status: row.status,
    lastActiveAt: row.lastActiveAt?.toISOString() ?? null,
    twoFactor: twoFactorLabel(policy, row),
    avatarVersion: row.avatarVersion,
    sso: row.sso,
    contentCount: row.contentCount,
    isSelf: row.id === user.id,
    accessExpired: row.accessExpired,
    expiresAt: row.nextExpiresAt?.toISOString() ?? null,
  }));
  const abilities = { invite: can(user, "members.invite"), manage: can(user, "members.manage"), assignRoles: can(user, "roles.assign") };
  const roleOptions = roleOptionsFor(user, roles);
  const units = {
    filter: unitChoices(user, "members.read", tree),
    invite: unitChoices(user, "members.invite", tree),
    inviteNeedsUnit: !can(user, "members.invite", { accountId: user.accountId }),
    grants: unitGrantChoices(user, roles, tree),
  };
  const gate = twoFactorGate(policy, { roles: [], twoFactorEnabled: false });
  return (
    <section className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">User Management</h1>
        <Link href="/users/email" className="text-sm text-brand-600 underline">
          Email delivery
        </Link>
      </div>
      <StepUpProvider>
        <div className="space-y-8">
          {joinRequests.length > 0 ? <JoinRequests requests={joinRequests.map((r) => ({ id: r.id, email: r.email, name: r.name, requestedAt: r.createdAt.toISOString() }))} /> : null}
          <section aria-labelledby="members-heading" className="space-y-3">
            <h2 id="members-heading" className="text-lg font-semibold">
              Members
            </h2>
            <PropertyFilter
              properties={properties.map(({ key, label }) => ({ key, label }))}
              current={property ?? null}
              keep={{ q: view.q, status: view.status, role: view.role, unit: view.unit, sort: view.sort, dir: view.dir }}
            />
            <TeamTable rows={rows} abilities={abilities} roleOptions={roleOptions} roleFilter={roles.map(({ key, name }) => ({ key, name }))} units={units} total={result.total} page={result.page} pageCount={result.pageCount} sort={view.sort} direction={view.dir} />
          </section>
          <div className="grid gap-6 lg:grid-cols-2">
            {can(user, "security.manage") ? (
              <EnforcementCard
                enabled={policy.enforceTwoFactor}
                graceDays={policy.twoFactorGraceDays}
                roles={policy.twoFactorRoles}
                roleOptions={roles.map(({ key, name, description }) => ({ key, name, description }))}
                deadline={gate.state === "grace" ? gate.deadline.toISOString() : null}
              />
            ) : null}
            {can(user, "security.manage") ? <ExpirySettingsCard warningDays={warningDays} /> : null}
            {can(user, "connections.manage") ? (
              <section aria-labelledby="slack-moved-heading" className="rounded-lg border border-slate-200 bg-white p-5">
                <h2 id="slack-moved-heading" className="text-lg font-medium">
                  Slack
                </h2>
                <p className="mt-3 text-sm text-slate-600">
                  The Slack workspace and who may invoke the bot there are in{" "}
                  <Link href="/settings/slack" className="font-medium underline">
                    Settings → Slack
                  </Link>
                  .
                </p>
              </section>
            ) : null}
          </div>
        </div>
      </StepUpProvider>
    </section>
  );
}
