import { ExpiryBadge } from "@/components/expiry/expiry-badge";
import { Badge } from "@/components/ui/badge";
import { grantLabel } from "@/lib/auth/permissions";
import type { TeamAbilities, TeamRow } from "./team-table";

/*
 * What the team table shows of a member: its cells, rendered on the server, and the
 * actions its row offers (as buttons on a wide screen, in a menu on a narrow one).
 */

/** "roles" opens the roles dialog; the others run at once (through "Verify it's you" where sensitive). */
export type MemberActionKind = "disable" | "enable" | "resend" | "revoke" | "remove2fa" | "reset" | "roles";
export type MemberAction = {
  kind: MemberActionKind;
  /** What the control shows. */
  label: string;
  /** Its accessible name: it starts with the label, so "click Reset password" works by voice (WCAG 2.5.3). */
  name: string;
  danger?: boolean;
};

/** The actions an administrator has on this member, in the order the table shows them. */
export function memberActions(row: TeamRow, abilities: TeamAbilities): MemberAction[] {
  const who = row.name || row.email;
  if (row.status === "invited") {
    if (!abilities.invite) return [];
    return [
      { kind: "resend", label: "Resend invitation", name: `Resend invitation to ${who}` },
      { kind: "revoke", label: "Revoke invitation", name: `Revoke invitation for ${who}` },
    ];
  }
  if (row.isSelf || !abilities.manage) return [];
  const actions: MemberAction[] = [];
  if (row.twoFactor === "On" && !row.sso) actions.push({ kind: "remove2fa", label: "Remove 2FA", name: `Remove 2FA of ${who}` });
  if (row.status === "active" && !row.sso && row.kind === "person") actions.push({ kind: "reset", label: "Reset password", name: `Reset password for ${who}` });
  actions.push(row.status === "active" ? { kind: "disable", label: "Disable", name: `Disable ${who}`, danger: true } : { kind: "enable", label: "Enable", name: `Enable ${who}` });
  return actions;
}

/** A3: "Change roles" for a person who has joined (a workstation's one role is fixed), also on one's own row. */
export function rolesAction(row: TeamRow, abilities: TeamAbilities): MemberAction | null {
  if (!abilities.assignRoles || row.kind !== "person" || row.status === "invited") return null;
  return { kind: "roles", label: "Change roles", name: `Change roles of ${row.name || row.email}` };
}

const STATUS_BADGE = {
  active: <Badge tone="green">Active</Badge>,
  invited: <Badge tone="amber">Invited</Badge>,
  disabled: <Badge tone="red">Disabled</Badge>,
};

export function StatusBadges({ row }: { row: TeamRow }) {
  return (
    <span className="flex flex-wrap gap-1">
      {STATUS_BADGE[row.status]}
      {row.accessExpired ? <ExpiryBadge expiresAt={null} expired /> : <ExpiryBadge expiresAt={row.expiresAt} />}
      {row.sso ? (
        <span title="Signs in through your identity provider, which owns their name, email and password">
          <Badge tone="blue">SSO</Badge>
        </span>
      ) : null}
    </span>
  );
}

export function TwoFactorState({ value }: { value: TeamRow["twoFactor"] }) {
  return value === "On" ? <Badge tone="green">On</Badge> : value === "Required" ? <Badge tone="red">Required</Badge> : value === "Pending" ? <Badge tone="amber">Pending</Badge> : <span className="text-slate-500">Off</span>;
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export function LastActive({ value }: { value: string | null }) {
  return value ? <time dateTime={value}>{dateFormat.format(new Date(value))}</time> : <span className="text-slate-500">Never</span>;
}

export function ContentSummary({ row }: { row: TeamRow }) {
  const n = row.contentCount;
  if (n === 0) return <span className="text-slate-500">None</span>;
  const items = `${n} ${n === 1 ? "item" : "items"}`;
  return <>{row.status === "disabled" ? `${items}, still available to the team` : items}</>;
}

/** A3: a member's roles, by name. */
export function RoleNames({ roles }: { roles: TeamRow["roles"] }) {
  return <span>{roles.map(grantLabel).join(", ") || "—"}</span>;
}
