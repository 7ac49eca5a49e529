"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useRef, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import Link from "next/link";
import { ContentSummary, LastActive, memberActions, RoleNames, StatusBadges, TwoFactorState, type MemberActionKind } from "./member-cells";
import type { TeamAbilities, TeamRow } from "./team-table";

type Props = {
  rows: TeamRow[];
  abilities: TeamAbilities;
  busyRow: string | null;
  onAction: (row: TeamRow, kind: MemberActionKind) => void;
  className?: string;
};

/** T1 on a narrow screen: one card per member with everything in view, the actions in a menu. */
export function MemberCards({ rows, abilities, busyRow, onAction, className = "" }: Props) {
  return (
    // role="list": Safari drops the list semantics of a list styled without bullets.
    <ul role="list" aria-label="Team members" className={`divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white ${className}`}>
      {rows.map((row) => (
        <li key={row.id} className="space-y-3 p-4">
          <div className="flex items-start justify-between gap-3">
            <div className="flex min-w-0 items-center gap-3">
              <Avatar userId={row.id} name={row.name || row.email} version={row.avatarVersion} size={36} />
              <div className="min-w-0 text-sm">
                <p className="font-medium">
                  <Link href={`/users/${row.id}`} className="underline-offset-2 hover:underline">
                    {row.name || row.email}
                  </Link>
                  {row.isSelf ? <span className="ml-1 text-xs text-slate-500">(you)</span> : null}
                </p>
                <p className="break-all text-slate-600">{row.email}</p>
              </div>
            </div>
            <MemberActionsMenu row={row} abilities={abilities} busy={busyRow === row.id} onAction={onAction} />
          </div>
          <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
            <div>
              <dt className="text-xs text-slate-600">Status</dt>
              <dd className="mt-0.5">
                <StatusBadges row={row} />
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-600">2FA</dt>
              <dd className="mt-0.5">
                <TwoFactorState value={row.twoFactor} />
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-600">Roles</dt>
              <dd className="mt-0.5">
                <RoleNames roles={row.roles} />
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-600">Last active</dt>
              <dd className="mt-0.5">
                <LastActive value={row.lastActiveAt} />
              </dd>
            </div>
            <div className="col-span-2 sm:col-span-4">
              <dt className="text-xs text-slate-600">Content</dt>
              <dd className="mt-0.5">
                <ContentSummary row={row} />
              </dd>
            </div>
          </dl>
        </li>
      ))}
      {rows.length === 0 ? <li className="p-4 text-center text-slate-600">No members match.</li> : null}
    </ul>
  );
}

/**
 * A member's actions behind one "Actions" button: a Radix menu (arrow keys, Enter, Escape,
 * focus back on the button). A chosen action runs once the menu has closed and focus is
 * back on the button, so "Verify it's you" opens from, and returns focus to, a control
 * that stays on the page. Non-modal and rendered in place (no portal), as a menu button
 * is: modal would aria-hide the page around a menu that still lets focus leave it, and a
 * portal would put the menu outside the page's landmarks.
 */
function MemberActionsMenu({ row, abilities, busy, onAction }: { row: TeamRow; abilities: TeamAbilities; busy: boolean; onAction: Props["onAction"] }) {
  const actions = memberActions(row, abilities);
  const [open, setOpen] = useState(false);
  const chosen = useRef<MemberActionKind | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  if (actions.length === 0) return null;
  return (
    <DropdownMenu.Root modal={false} open={open} onOpenChange={(next) => setOpen(next && !busy)}>
      <DropdownMenu.Trigger asChild>
        <Button ref={trigger} variant="secondary" busy={busy} aria-label={`Actions for ${row.name || row.email}`} className="shrink-0 gap-1">
          Actions
          <span aria-hidden="true">▾</span>
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content
        align="end"
        sideOffset={4}
        collisionPadding={8}
        onCloseAutoFocus={(event) => {
          const kind = chosen.current;
          if (!kind) return;
          chosen.current = null;
          event.preventDefault();
          trigger.current?.focus();
          onAction(row, kind);
        }}
        className="z-10 min-w-48 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
      >
        {actions.map((action) => (
          <DropdownMenu.Item
            key={action.kind}
            aria-label={action.name}
            onSelect={() => {
              chosen.current = action.kind;
            }}
            className={`cursor-default rounded px-3 py-2 text-sm select-none data-[highlighted]:text-white ${action.danger ? "text-red-700 data-[highlighted]:bg-red-700" : "text-slate-800 data-[highlighted]:bg-brand-600"}`}
          >
            {action.label}
          </DropdownMenu.Item>
        ))}
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}
