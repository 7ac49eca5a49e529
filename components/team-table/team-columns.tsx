import Link from "next/link";
import { Avatar } from "@/components/ui/avatar";
import { ContentSummary, LastActive, RoleNames, StatusBadges, TwoFactorState } from "./member-cells";
import { MemberActions } from "./team-table-actions";
import type { TeamRow } from "./team-table";

export type TeamColumn = {
  /** Also the sort key of a sortable column, and the cell's `data-column` (its place in a card, team-table.css). */
  id: string;
  header: string;
  sortable?: boolean;
  cell: (row: TeamRow) => React.ReactNode;
};

/**
 * A cell's label on a narrow screen, where each row is a card and the column headers are
 * not above it. Hidden from assistive technology, which has the header itself.
 */
function CardLabel({ children }: { children: string }) {
  return (
    <span className="team-table-label" aria-hidden="true">
      {children}
    </span>
  );
}

/** T1: the team table's columns, in order: the header row (server) and the rows (team-rows.tsx) both read them. */
export const TEAM_COLUMNS: TeamColumn[] = [
  {
    id: "name",
    header: "Name",
    sortable: true,
    cell: (row) => (
      <span className="flex items-center gap-3 font-medium">
        <Avatar userId={row.id} name={row.name || row.email} version={row.avatarVersion} size={32} />
        <span>
          <Link href={`/users/${row.id}`} className="underline-offset-2 hover:underline">
            {row.name || row.email}
          </Link>
          {row.isSelf ? <span className="ml-1 text-xs text-slate-500">(you)</span> : null}
        </span>
      </span>
    ),
  },
  { id: "email", header: "Email", sortable: true, cell: (row) => row.email },
  {
    id: "status",
    header: "Status",
    sortable: true,
    cell: (row) => (
      <>
        <CardLabel>Status</CardLabel>
        <StatusBadges row={row} />
      </>
    ),
  },
  {
    id: "twoFactor",
    header: "2FA",
    cell: (row) => (
      <>
        <CardLabel>2FA</CardLabel>
        <TwoFactorState value={row.twoFactor} />
      </>
    ),
  },
  {
    id: "roles",
    header: "Roles",
    cell: (row) => (
      <>
        <CardLabel>Roles</CardLabel>
        <RoleNames roles={row.roles} />
      </>
    ),
  },
  {
    id: "lastActive",
    header: "Last active",
    sortable: true,
    cell: (row) => (
      <>
        <CardLabel>Last active</CardLabel>
        <LastActive value={row.lastActiveAt} />
      </>
    ),
  },
  {
    id: "content",
    header: "Content",
    cell: (row) => (
      <>
        <CardLabel>Content</CardLabel>
        <ContentSummary row={row} />
      </>
    ),
  },
  {
    id: "actions",
    header: "Actions",
    cell: (row) => <MemberActions row={row} />,
  },
];
