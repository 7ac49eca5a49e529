"use client";

import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { disableMember, enableMember, removeMemberTwoFactor, resendInvitation, revokeInvitation, sendMemberPasswordReset } from "@/app/(console)/users/actions";
import { useStepUp } from "@/components/step-up/step-up-provider";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { EmptyRow } from "@/components/ui/simple-table";
import { RolesDialog } from "@/components/roles/roles-dialog";
import type { RoleOption } from "@/components/roles/role-checkboxes";
import { AddUserDialog } from "./add-user-dialog";
import { AddWorkstationDialog } from "./add-workstation-dialog";
import { ContentSummary, LastActive, memberActions, RoleNames, StatusBadges, TwoFactorState } from "./member-cells";
import { MemberCards } from "./member-cards";
import { TableControls, useTableUrl } from "./table-controls";

export type TeamRow = {
  id: string;
  name: string;
  email: string;
  roles: { key: string; name: string }[];
  kind: "person" | "workstation";
  status: "active" | "invited" | "disabled";
  lastActiveAt: string | null;
  twoFactor: "On" | "Off" | "Required" | "Pending";
  avatarVersion: number | null;
  sso: boolean;
  contentCount: number;
  invitationExpiresAt: string | null;
  isSelf: boolean;
};

/** What the viewer may do here, asked of `can` by the page (the server checks again). */
export type TeamAbilities = { invite: boolean; manage: boolean; assignRoles: boolean };

type Props = {
  rows: TeamRow[];
  abilities: TeamAbilities;
  /** Roles one may give (locked: held roles the viewer cannot give or take). */
  roleOptions: RoleOption[];
  /** Every role of the account, for the filter. */
  roleFilter: { key: string; name: string }[];
  total: number;
  page: number;
  pageCount: number;
  sort: string;
  direction: "asc" | "desc";
};

const column = createColumnHelper<TeamRow>();

/**
 * Renders a column's header or cell by calling it. flexRender would mount the function as
 * a component; the columns are rebuilt on every render, so React would remount every cell
 * each time (a row's buttons lost focus whenever the table's state changed).
 */
function renderPart<C>(part: string | ((context: C) => React.ReactNode) | undefined, context: C): React.ReactNode {
  return typeof part === "function" ? part(context) : part;
}

/** T1: the team table. Data, search, sort and paging all come from the server. */
export function TeamTable({ rows, abilities, roleOptions, roleFilter, total, page, pageCount, sort, direction }: Props) {
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);
  const [busyRow, setBusyRow] = useState<string | null>(null);
  const runSensitive = useStepUp();
  const router = useRouter();
  const { update } = useTableUrl();

  const act = async (row: TeamRow, kind: "disable" | "enable" | "resend" | "revoke" | "remove2fa" | "reset") => {
    setBusyRow(row.id);
    setMessage(null);
    const input = { userId: row.id };
    const who = row.name || row.email;
    const result =
      kind === "disable"
        ? await runSensitive(disableMember, input)
        : kind === "enable"
          ? await runSensitive(enableMember, input)
          : kind === "remove2fa"
            ? await runSensitive(removeMemberTwoFactor, input)
            : kind === "reset"
              ? await sendMemberPasswordReset(input)
            : kind === "resend"
              ? await runSensitive(resendInvitation, input)
              : await runSensitive(revokeInvitation, input);
    setBusyRow(null);
    if (result.ok) {
      const done = { disable: `${who} was disabled. Their content stays available to the team.`, enable: `${who} was enabled.`, resend: `Invitation re-sent to ${row.email}.`, revoke: `Invitation for ${row.email} was revoked.`, remove2fa: `Two-factor authentication was removed for ${who}. They were emailed.`, reset: `A password-reset link was emailed to ${row.email}.` };
      setMessage({ text: done[kind], tone: "ok" });
      router.refresh();
    } else if ("cancelled" in result) {
      setMessage({ text: "Cancelled: nothing was changed.", tone: "ok" });
    } else {
      setMessage({ text: result.error ?? "Something went wrong.", tone: "error" });
    }
  };

  const sortHeader = (key: string, label: string) => {
    const active = sort === key;
    const next = active && direction === "asc" ? "desc" : "asc";
    return (
      <button type="button" className="inline-flex items-center gap-1 font-semibold" onClick={() => update({ sort: key, dir: next }, false)}>
        {label}
        <span aria-hidden="true">{active ? (direction === "asc" ? "▲" : "▼") : "↕"}</span>
        <span className="sr-only">{active ? `, sorted ${direction === "asc" ? "ascending" : "descending"}` : ", sortable"}</span>
      </button>
    );
  };

  const columns = [
    column.accessor("name", {
      id: "name",
      header: () => sortHeader("name", "Name"),
      cell: (info) => (
        <span className="flex items-center gap-2 font-medium">
          <Avatar userId={info.row.original.id} name={info.getValue() || info.row.original.email} version={info.row.original.avatarVersion} size={28} />
          <span>
            <Link href={`/users/${info.row.original.id}`} className="underline-offset-2 hover:underline">
              {info.getValue() || info.row.original.email}
            </Link>
            {info.row.original.isSelf ? <span className="ml-1 text-xs text-slate-500">(you)</span> : null}
          </span>
        </span>
      ),
    }),
    column.accessor("email", { id: "email", header: () => sortHeader("email", "Email") }),
    column.accessor("roles", { header: "Roles", cell: (info) => <RoleNames roles={info.getValue()} /> }),
    column.accessor("status", {
      id: "status",
      header: () => sortHeader("status", "Status"),
      cell: (info) => <StatusBadges row={info.row.original} />,
    }),
    column.accessor("twoFactor", { header: "2FA", cell: (info) => <TwoFactorState value={info.getValue()} /> }),
    column.accessor("lastActiveAt", {
      id: "lastActive",
      header: () => sortHeader("lastActive", "Last active"),
      cell: (info) => <LastActive value={info.getValue()} />,
    }),
    column.accessor("contentCount", { header: "Content", cell: (info) => <ContentSummary row={info.row.original} /> }),
    column.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row: { original: row } }) => {
        const actions = memberActions(row, abilities);
        const roles = abilities.assignRoles && row.kind === "person" && row.status !== "invited";
        if (actions.length === 0 && !roles) return null;
        return (
          <div className="flex justify-end gap-2 whitespace-nowrap">
            {roles ? <RolesDialog member={{ ...row, roleKeys: row.roles.map((role) => role.key) }} roleOptions={roleOptions} onResult={(text) => setMessage({ text, tone: "ok" })} /> : null}
            {actions.map((action) => (
              <Button key={action.kind} variant={action.danger ? "danger" : "secondary"} aria-label={action.name} busy={busyRow === row.id} onClick={() => act(row, action.kind)}>
                {action.label}
              </Button>
            ))}
          </div>
        );
      },
    }),
  ];

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table v8 is not React-Compiler-safe; nothing here is memoised.
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
    manualSorting: true,
    manualPagination: true,
    pageCount,
  });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <TableControls roleFilter={roleFilter} />
        {abilities.invite ? (
          <div className="flex gap-2">
            <AddWorkstationDialog />
            <AddUserDialog roleOptions={roleOptions.filter((role) => !role.locked)} onResult={(text) => setMessage({ text, tone: "ok" })} />
          </div>
        ) : null}
      </div>
      <div role="status" aria-live="polite" aria-label="Team table messages" className="min-h-6 text-sm">
        {message ? <p className={message.tone === "ok" ? "text-emerald-700" : "text-red-700"}>{message.text}</p> : null}
      </div>
      {/* Below xl the table would scroll sideways beside the sidebar, with status, 2FA and the
          actions off-screen: narrower screens get a card per member instead. */}
      <MemberCards rows={rows} abilities={abilities} busyRow={busyRow} onAction={act} className="xl:hidden" />
      <div className="relative hidden overflow-x-auto rounded-lg border border-slate-200 bg-white xl:block">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">Team members</caption>
          <thead className="bg-slate-50 text-slate-700">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sortable = ["name", "email", "status", "lastActive"].includes(header.column.id);
                  const ariaSort = sortable && sort === header.column.id ? (direction === "asc" ? "ascending" : "descending") : undefined;
                  return (
                    <th key={header.id} scope="col" aria-sort={ariaSort} className="px-4 py-3">
                      {renderPart(header.column.columnDef.header, header.getContext())}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="px-4 py-3 align-middle">
                    {renderPart(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
            {rows.length === 0 ? <EmptyRow columns={columns.length}>No members match.</EmptyRow> : null}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pagination" className="flex items-center justify-between text-sm">
        <p>
          {total.toLocaleString("en-GB")} {total === 1 ? "member" : "members"} · Page {page} of {pageCount}
        </p>
        <div className="flex gap-2">
          <Button variant="secondary" disabled={page <= 1} onClick={() => update({ page: String(page - 1) }, false)}>
            Previous page
          </Button>
          <Button variant="secondary" disabled={page >= pageCount} onClick={() => update({ page: String(page + 1) }, false)}>
            Next page
          </Button>
        </div>
      </nav>
    </div>
  );
}
