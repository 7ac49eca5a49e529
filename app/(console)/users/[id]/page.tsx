import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { findVisibleMember } from "@/db/queries/members";
import { countPasskeys } from "@/db/queries/passkeys";
import { listUnitTree, unitsOfMember } from "@/db/queries/units";
import { MemberUnits } from "@/components/org-units/member-units";
import { listProperties, propertyValuesOf } from "@/db/queries/properties";
import { MemberProperties } from "@/components/properties/member-properties";
import { listApplications, subscriptionsOf } from "@/db/queries/apps";
import { roleGrantsOf, rolesOfMember } from "@/db/queries/roles";
import { AppAccessPanel } from "@/components/apps/app-access-panel";
import { AccessExpiryPanel, type ExpiryRow } from "@/components/expiry/access-expiry-panel";
import { ExpiryBadge } from "@/components/expiry/expiry-badge";
import { RolesDialog } from "@/components/roles/roles-dialog";
import { MemberSessions } from "@/components/sessions-table/sessions-table";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { can, canGrant, memberScope, outranks } from "@/lib/auth/principal";
import { grantLabel } from "@/lib/auth/permissions";
import { now } from "@/lib/clock";
import { accessEnded } from "@/lib/expiry/validate";
import { lineOf, pathName } from "@/lib/org-units/tree";
import { unitChoices, unitGrantChoices } from "@/lib/org-units/choices";
import { requirePermission } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { listMemberSessions, toSessionRows } from "@/lib/sessions";
import { readAuditLog } from "@/lib/audit/log";
import { readActivity } from "@/lib/activity/log";
import { SignInHistory } from "@/components/activity/activity-table";
import { roleChoices, roleOptionsFor } from "@/lib/team/roles";
import { LeavingPanel } from "@/components/leaving/leaving-panel";
import { listAccountResources, listPeopleChoices } from "@/db/queries/resources";
import { tiesOf } from "@/lib/team/leaving";
import { mayNotSee } from "@/lib/auth/principal";

export const metadata: Metadata = { title: "Member" };

const STATUS = { active: <Badge tone="green">Active</Badge>, invited: <Badge tone="amber">Invited</Badge>, disabled: <Badge tone="red">Disabled</Badge> };

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="text-lg font-medium">{title}</h2>
      {children}
    </section>
  );
}

/** P3, B1: which second factors a member has. */
function describeTwoFactor(totp: boolean, passkeys: number) {
  const methods = [totp ? "authenticator app" : null, passkeys ? (passkeys === 1 ? "1 passkey" : `${passkeys} passkeys`) : null].filter(Boolean);
  return methods.length ? `On (${methods.join(", ")})` : "Off";
}

/** A3, A8: one member — profile, roles, application access, status, 2FA and how they sign in. */
export default async function MemberPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("members.read");
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const db = await getDb();
  // A1, T6: another account's member, or hidden staff, is simply not found.
  const member = await findVisibleMember(db, user, { staffEmailDomain: config().staffEmailDomain }, id.data);
  if (!member) notFound();
  const [roles, choices, apps, subscriptions, allGrants, passkeyCount, tree, memberUnits, properties, values] = await Promise.all([
    rolesOfMember(db, member.id),
    roleChoices(db, user.accountId),
    listApplications(db),
    subscriptionsOf(db, member.id),
    roleGrantsOf(db, member.id),
    countPasskeys(db, member.id),
    listUnitTree(db, user.accountId),
    unitsOfMember(db, member.id),
    listProperties(db, user.accountId),
    propertyValuesOf(db, member.id),
  ]);
  // A7: a rule's grant ends when the rule stops matching, not at a date set by hand.
  const grants = allGrants.filter((grant) => !grant.ruleName);
  const who = member.name || member.email;
  // A4: what the viewer may do to this member depends on the units they hold it on.
  const scope = memberScope(member);
  const mayManageSessions = can(user, "sessions.manage", scope);
  const sessions = mayManageSessions ? await listMemberSessions(db, user, member.id) : [];
  // O1: their own trail — what they did and what was done to them — for an audit reader.
  const trail = can(user, "audit.read") ? await readAuditLog(db, user, { member: member.id }, {}, 5) : null;
  // O2: their recent sign-in attempts, for a reader of activity who reaches them (A4).
  const signIns = can(user, "activity.read", scope) ? await readActivity(db, user, { person: member.id }, {}, 10) : null;
  const workstation = member.kind === "workstation";
  const outranked = outranks(user, { grants: roles });
  const mayChangeRoles = can(user, "roles.assign", scope) && !workstation && outranked;
  const mayPlace = can(user, "members.manage", scope);
  const inUnit = (unitId: string, permission: "members.manage") => can(user, permission, { accountId: user.accountId, units: lineOf(tree, unitId) });
  // A7: a role a rule gives them for the whole account is shown held, and not taken by hand.
  const byRule = (key: string) => roles.find((role) => role.key === key && !role.unit && role.rule)?.rule?.name;
  const roleOptions = roleOptionsFor(user, choices).map((option) => (byRule(option.key) ? { ...option, locked: true, byRule: byRule(option.key) } : option));
  const expiryRows = accessExpiryRows({ user, member, who, outranked, choices, grants, subscriptions, scope, tree });
  // T4: leaving — what ties them (their resources), and who could take those over.
  const mayRemove = can(user, "members.delete", scope) && member.id !== user.id && member.status !== "invited" && outranked;
  const ties = mayRemove ? await tiesOf(db, member) : [];
  const owned = ties.length ? (await listAccountResources(db, user.accountId, { ownerId: member.id })).map((row) => ({ id: row.id, name: row.name, kind: row.kind })) : [];
  const heirs = ties.length
    ? (await listPeopleChoices(db, user.accountId)).filter((person) => person.status === "active" && person.id !== member.id && !mayNotSee(user, person.email)).map((person) => ({ id: person.id, name: person.name || person.email }))
    : [];
  const signIn = workstation ? "Sign-in name and password (shared workstation)" : member.ssoSubject ? "Single sign-on (your identity provider)" : member.passwordHash ? "Password" : "Not set up yet (invitation pending)";

  return (
    <section className="max-w-3xl space-y-6">
      <p className="text-sm">
        <Link href="/users" className="text-brand-600 underline">
          ← User Management
        </Link>
      </p>
      <div className="flex items-center gap-3">
        <Avatar userId={member.id} name={who} version={null} size={48} />
        <div>
          <h1 className="text-2xl font-semibold">{who}</h1>
          <p className="text-sm text-slate-600">{workstation ? `Shared workstation · ${member.location ?? "no location"}` : member.email}</p>
        </div>
      </div>
      <StepUpProvider>
        <Section title="Profile">
          <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">Name</dt>
            <dd>{member.name || "—"}</dd>
            <dt className="text-slate-500">{workstation ? "Sign-in name" : "Email"}</dt>
            <dd className="break-all">{member.email}</dd>
            {workstation ? (
              <>
                <dt className="text-slate-500">Location</dt>
                <dd>{member.location ?? "—"}</dd>
              </>
            ) : null}
            <dt className="text-slate-500">Status</dt>
            <dd className="flex flex-wrap gap-1">
              {STATUS[member.status]}
              <ExpiryBadge expiresAt={member.accessExpiresAt?.toISOString() ?? null} expired={accessEnded(member.accessExpiresAt)} />
            </dd>
            <dt className="text-slate-500">Two-factor</dt>
            <dd>{describeTwoFactor(Boolean(member.totpEnabledAt), passkeyCount)}</dd>
            <dt className="text-slate-500">Signs in with</dt>
            <dd>{signIn}</dd>
          </dl>
        </Section>
        <Section title="Roles">
          <ul aria-label={`Roles of ${who}`} className="flex flex-wrap gap-2">
            {roles.map((role) => (
              <li key={`${role.key}@${role.unit?.id ?? ""}@${role.rule?.id ?? ""}`}>
                <Badge tone={role.custom ? "blue" : "slate"}>{role.rule ? `${grantLabel(role)} · by rule ${role.rule.name}` : grantLabel(role)}</Badge>
              </li>
            ))}
          </ul>
          {workstation ? (
            <p className="text-sm text-slate-600">A shared workstation holds only the Shared workstation role and can never become a personal account.</p>
          ) : mayChangeRoles ? (
            <RolesDialog
              member={{
                id: member.id,
                name: member.name,
                email: member.email,
                roleKeys: roles.filter((role) => !role.unit).map((role) => role.key),
                unitGrants: roles.flatMap((role) => (role.unit ? [{ role: role.key, unitId: role.unit.id, label: grantLabel(role) }] : [])),
              }}
              roleOptions={roleOptions}
              unitChoices={unitGrantChoices(user, choices, tree)}
              label="Change roles"
            />
          ) : null}
        </Section>
        {properties.length > 0 ? (
          <Section title="Properties">
            <MemberProperties
              userId={member.id}
              who={who}
              editable={mayPlace && outranked}
              fields={properties.map((property) => ({
                id: property.id,
                key: property.key,
                label: property.label,
                type: property.type,
                options:
                  property.type === "choice"
                    ? property.choices.map((choice) => ({ value: choice, label: choice }))
                    : property.type === "unit"
                      ? tree.map((unit) => ({ value: unit.id, label: pathName(tree, unit.id) }))
                      : [],
                value: values.find((value) => value.propertyId === property.id)?.value ?? "",
              }))}
            />
          </Section>
        ) : null}
        <Section title="Units">
          <MemberUnits
            userId={member.id}
            who={who}
            units={memberUnits.map((unit) => ({ id: unit.id, name: unit.name, path: pathName(tree, unit.id), removable: mayPlace && inUnit(unit.id, "members.manage") }))}
            places={mayPlace ? unitChoices(user, "members.manage", tree) : []}
          />
        </Section>
        <Section title="Application access">
          <AppAccessPanel
            userId={member.id}
            who={who}
            apps={apps}
            subscribed={Object.fromEntries(subscriptions.filter((subscription) => !subscription.ruleId).map((subscription) => [subscription.appKey, subscription.appRoleKeys]))}
            byRule={subscriptions.flatMap((subscription) => (subscription.ruleId ? [{ appKey: subscription.appKey, role: subscription.appRoleKeys[0], rule: subscription.ruleName ?? "" }] : []))}
            canManage={can(user, "apps.manage", scope)}
          />
        </Section>
        <Section title="Access expiry">
          <p className="text-sm text-slate-600">Access ends at the time shown, with no one acting; {who} is emailed before it does. Times are in UTC.</p>
          <AccessExpiryPanel userId={member.id} who={who} rows={expiryRows} />
        </Section>
        {mayRemove ? (
          <Section title="Leaving">
            <LeavingPanel userId={member.id} who={who} email={member.email} active={member.status === "active"} anonymised={member.email.endsWith("@anonymised.invalid")} ties={ties} owned={owned} people={heirs} />
          </Section>
        ) : null}
        {mayManageSessions ? (
          <Section title="Sessions">
            <MemberSessions userId={member.id} who={who} sessions={toSessionRows(sessions)} canEnd={member.id !== user.id && outranked && sessions.length > 0} />
          </Section>
        ) : null}
      </StepUpProvider>
      {signIns ? (
        <Section title="Sign-ins">
          <SignInHistory entries={signIns.entries} label={`Recent sign-in attempts of ${who}`} />
          <p className="text-sm">
            <Link href={`/activity?person=${member.id}`} className="text-brand-600 underline">
              All sign-in activity of {who}
            </Link>
          </p>
        </Section>
      ) : null}
      {trail ? (
        <Section title="Recent activity">
          {trail.entries.length ? (
            <ul aria-label={`Recent activity of ${who}`} className="divide-y divide-slate-100 text-sm">
              {trail.entries.map((entry) => (
                <li key={entry.id} className="flex flex-wrap justify-between gap-2 py-2">
                  <span>
                    {entry.label}
                    <span className="text-slate-600"> · {entry.actorId === member.id ? "by them" : `by ${entry.actorEmail ?? "the system"}`}</span>
                  </span>
                  <time dateTime={entry.createdAt.toISOString()} className="text-slate-600">
                    {entry.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC
                  </time>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">Nothing recorded yet.</p>
          )}
          <p className="text-sm">
            <Link href={`/audit?member=${member.id}`} className="text-brand-600 underline">
              Full trail in the audit log
            </Link>
          </p>
        </Section>
      ) : null}
    </section>
  );
}

type PanelInput = {
  user: Parameters<typeof can>[0];
  member: { id: string; accessExpiresAt: Date | null };
  who: string;
  outranked: boolean;
  choices: Awaited<ReturnType<typeof roleChoices>>;
  grants: Awaited<ReturnType<typeof roleGrantsOf>>;
  subscriptions: Awaited<ReturnType<typeof subscriptionsOf>>;
  /** A4: the member as a scope, and the account's units (for grants on a unit). */
  scope: ReturnType<typeof memberScope>;
  tree: Awaited<ReturnType<typeof listUnitTree>>;
};

/**
 * A5: the membership, every role grant (expired ones too, to renew) and every application
 * subscription, each changeable by whoever holds the permission that governs it.
 */
function accessExpiryRows({ user, member, who, outranked, choices, grants, subscriptions, scope, tree }: PanelInput): ExpiryRow[] {
  const at = now();
  const state = (expiresAt: Date | null) => ({ expiresAt: expiresAt?.toISOString() ?? null, expired: accessEnded(expiresAt, at) });
  const membership: ExpiryRow = {
    id: "membership",
    name: "Membership",
    what: `the membership of ${who}`,
    target: { kind: "membership" },
    ...state(member.accessExpiresAt),
    canChange: can(user, "members.manage", scope) && outranked && member.id !== user.id,
  };
  const roleRows = grants.flatMap((grant): ExpiryRow[] => {
    const role = choices.find((choice) => choice.key === grant.key);
    if (!role) return [];
    // A4: a role on a unit is changed by whoever could give it there.
    const on = grant.unitId ? { accountId: user.accountId, units: lineOf(tree, grant.unitId) } : undefined;
    const name = grant.unitName ? `${role.name} on ${grant.unitName}` : role.name;
    return [
      {
        id: grant.id,
        name: `${name} (role)`,
        what: `the ${name} role of ${who}`,
        target: { kind: "role", role: role.key, unitId: grant.unitId },
        ...state(grant.expiresAt),
        canChange: can(user, "roles.assign", scope) && outranked && canGrant(user, role, on),
      },
    ];
  });
  // A7: a rule's subscription ends when the rule stops matching, not at a date set by hand.
  const appRows = subscriptions.filter((subscription) => !subscription.ruleId).map((subscription): ExpiryRow => ({
    id: subscription.id,
    name: `${subscription.appName} (application)`,
    what: `${who}'s access to ${subscription.appName}`,
    target: { kind: "app", appKey: subscription.appKey },
    ...state(subscription.expiresAt),
    canChange: can(user, "apps.manage", scope),
  }));
  return [membership, ...roleRows, ...appRows];
}
