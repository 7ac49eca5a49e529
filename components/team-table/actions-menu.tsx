"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useLayoutEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { MemberAction, MemberActionKind } from "./member-cells";

type Props = {
  label: string;
  actions: MemberAction[];
  busy: boolean;
  /** Runs with focus back on the menu's button, which it gets (the roles dialog returns focus there). */
  onChoose: (kind: MemberActionKind, trigger: HTMLElement | null) => void;
  /** The person already asked for the menu while its code loaded, and how. */
  openedBy: "keyboard" | "pointer" | null;
  /** The stand-in button had focus: the trigger takes it over. */
  focusTrigger: boolean;
};

/**
 * A member's actions behind one "Actions" button: a Radix menu (arrow keys, Enter, Escape,
 * focus back on the button). Loaded on first use (team-table-actions.tsx). A chosen action
 * runs once the menu has closed and focus is back on the button, so "Verify it's you"
 * opens from, and returns focus to, a control that stays on the page. Non-modal and
 * rendered in place (no portal), as a menu button is: modal would aria-hide the page
 * around a menu that still lets focus leave it, and a portal would put the menu outside
 * the page's landmarks.
 */
export function ActionsMenu({ label, actions, busy, onChoose, openedBy, focusTrigger }: Props) {
  const [open, setOpen] = useState(openedBy !== null);
  const chosen = useRef<MemberActionKind | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  // Radix focuses the first item only after a keypress it saw itself; this one came before it was here.
  const focusFirstItem = useRef(openedBy === "keyboard");

  // In the same commit that removed the stand-in: no keypress can land on the page in between.
  useLayoutEffect(() => {
    if (focusTrigger && openedBy === null) trigger.current?.focus();
  }, [focusTrigger, openedBy]);

  return (
    <DropdownMenu.Root modal={false} open={open} onOpenChange={(next) => setOpen(next && !busy)}>
      <DropdownMenu.Trigger asChild>
        <Button ref={trigger} variant="secondary" busy={busy} aria-label={label} className="shrink-0 gap-1">
          Actions
          <span aria-hidden="true">▾</span>
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content
        align="end"
        sideOffset={4}
        collisionPadding={8}
        // Radix focuses the menu itself on opening; for a keypress it did not see, move on to the first item.
        onFocus={(event) => {
          if (!focusFirstItem.current || event.target !== event.currentTarget) return;
          focusFirstItem.current = false;
          event.currentTarget.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
        }}
        onCloseAutoFocus={(event) => {
          const kind = chosen.current;
          if (!kind) return;
          chosen.current = null;
          event.preventDefault();
          trigger.current?.focus();
          onChoose(kind, trigger.current);
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
