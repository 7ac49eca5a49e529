import type { RoleOption } from "@/components/roles/role-checkboxes";
import type { UnitGrantChoices } from "@/components/roles/unit-grants";
import type { UnitChoice } from "@/lib/org-units/choices";
import { AddUserDialog } from "./add-user-dialog";
import { AddWorkstationDialog } from "./add-workstation-dialog";
import { TEAM_COLUMNS } from "./team-columns";
import { TeamRows } from "./team-rows";
import { TeamTableActions, TeamTableMessages } from "./team-table-actions";
import { PageButton, SortButton, TableControls } from "./table-controls";
import "./team-table.css";

export type TeamRow = {
  id: string;
  name: string;
  email: string;
  /** `unit`: A4, a role held on that unit. */
  roles: { key: string; name: string; unit?: { id: string; name: string } | null }[];
  kind: "person" | "workstation";
  status: "active" | "invited" | "disabled";
  lastActiveAt: string | null;
  twoFactor: "On" | "Off" | "Required" | "Pending";
  avatarVersion: number | null;
  sso: boolean;
  contentCount: number;
  isSelf: boolean;
  /** A5: the membership has expired (refused at sign-in and on every request). */
  accessExpired: boolean;
  /** A5: the soonest expiry still to come, of the membership, a role or an application. */
  expiresAt: string | null;
};

/** What the viewer may do here, asked of `can` by the page (the server checks again). */
export type TeamAbilities = { invite: boolean; manage: boolean; assignRoles: boolean };

/** A4: the units this viewer filters by, invites into, and gives roles on. */
export type TeamUnits = {
  filter: UnitChoice[];
  invite: UnitChoice[];
  /** They invite only into some units: a new person must join one. */
  inviteNeedsUnit: boolean;
  grants: UnitGrantChoices;
};

type Props = {
  rows: TeamRow[];
  abilities: TeamAbilities;
  /** Roles one may give (locked: held roles the viewer cannot give or take). */
  roleOptions: RoleOption[];
  /** Every role of the account, for the filter. */
  roleFilter: { key: string; name: string }[];
  units: TeamUnits;
  total: number;
  page: number;
  pageCount: number;
  sort: string;
  direction: "asc" | "desc";
};

/**
 * T1: the team table. Data, search, sort and paging all come from the server. Each member
 * is rendered once, as a table row; below 1280 px the same rows restyle into a card per
 * member (team-table.css), keeping the table's semantics. The frame, header and pagination
 * are server-rendered; the controls, sort and page buttons, rows and their actions are
 * client components, the actions menu loading only when first used.
 */
export function TeamTable({ rows, abilities, roleOptions, roleFilter, units, total, page, pageCount, sort, direction }: Props) {
  return (
    <TeamTableActions abilities={abilities} roleOptions={roleOptions} unitChoices={units.grants}>
      <div className="space-y-4">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <TableControls roleFilter={roleFilter} unitFilter={units.filter} />
          {abilities.invite ? (
            <div className="flex gap-2">
              <AddWorkstationDialog units={units.invite} needsUnit={units.inviteNeedsUnit} />
              <AddUserDialog roleOptions={roleOptions.filter((role) => !role.locked)} units={units.invite} needsUnit={units.inviteNeedsUnit} />
            </div>
          ) : null}
        </div>
        <TeamTableMessages />
        <div className="rounded-lg border border-slate-200 bg-white xl:overflow-x-auto">
          {/* The roles repeat what the elements say: a browser may drop a table's semantics when
              CSS changes how its parts display (the cards), and these keep them. */}
          <table role="table" className="team-table min-w-full text-left text-sm">
            <caption className="sr-only">Team members</caption>
            <thead role="rowgroup" className="bg-slate-50 text-slate-700">
              <tr role="row">
                {TEAM_COLUMNS.map((column) => (
                  <th
                    key={column.id}
                    role="columnheader"
                    scope="col"
                    aria-sort={column.sortable && sort === column.id ? (direction === "asc" ? "ascending" : "descending") : undefined}
                    data-sortable={column.sortable || undefined}
                  >
                    {column.sortable ? (
                      <SortButton column={column.id} label={column.header} active={sort === column.id} direction={direction} />
                    ) : column.id === "actions" ? (
                      <span className="sr-only">{column.header}</span>
                    ) : (
                      column.header
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody role="rowgroup" className="divide-y divide-slate-100">
              <TeamRows rows={rows} />
              {rows.length === 0 ? (
                <tr role="row">
                  <td role="cell" colSpan={TEAM_COLUMNS.length} data-column="empty" className="text-center text-slate-600">
                    No members match.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <nav aria-label="Pagination" className="flex items-center justify-between text-sm">
          <p>
            {total.toLocaleString("en-GB")} {total === 1 ? "member" : "members"} · Page {page} of {pageCount}
          </p>
          <div className="flex gap-2">
            <PageButton page={page - 1} disabled={page <= 1}>
              Previous page
            </PageButton>
            <PageButton page={page + 1} disabled={page >= pageCount}>
              Next page
            </PageButton>
          </div>
        </nav>
      </div>
    </TeamTableActions>
  );
}
