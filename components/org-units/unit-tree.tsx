"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteUnit } from "@/app/(console)/units/actions";
import { Button } from "@/components/ui/button";
import { buildTree, type TreeNode } from "@/lib/org-units/tree";
import { UnitDialog, type UnitDialogRequest, type UnitDialogState } from "./unit-dialog";

/** A unit as the page hands it over: `changeable` — the viewer may rename, move or delete it (they manage the units above it). */
export type UnitNode = { id: string; parentId: string | null; name: string; path: string; members: number; grants: number; changeable: boolean };
type Message = { text: string; tone: "ok" | "error" };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * A4: the tree as nested lists, each unit with its actions as buttons (a keyboard reaches
 * every one with Tab). A unit with units below it has a button that shows or hides them;
 * a small tree starts open, a large one (2,000 units) shows its top two levels.
 */
export function UnitTree({ units, mayAddTopLevel }: { units: UnitNode[]; mayAddTopLevel: boolean }) {
  const roots = buildTree(units);
  // Open by default: every unit of a small tree, the first two levels of a large one; the
  // person's own opening and closing is kept as the units that differ from that.
  const [toggled, setToggled] = useState<Set<string>>(() => new Set());
  const openByDefault = (node: TreeNode<UnitNode>) => units.length <= 50 || node.depth < 1;
  const [message, setMessage] = useState<Message | null>(null);
  const [dialog, setDialog] = useState<UnitDialogState | null>(null);
  const [openings, setOpenings] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const router = useRouter();

  const toggle = (id: string) => setToggled((was) => (was.has(id) ? new Set([...was].filter((other) => other !== id)) : new Set([...was, id])));
  const open = (state: UnitDialogRequest) => {
    setMessage(null);
    setOpenings((n) => n + 1);
    setDialog({ ...state, open: true });
  };
  const remove = async (unit: UnitNode) => {
    setBusy(unit.id);
    setMessage(null);
    const result = await deleteUnit({ unitId: unit.id });
    setBusy(null);
    if (result.ok) {
      setMessage({ text: `${unit.name} was deleted.`, tone: "ok" });
      router.refresh();
    } else {
      setMessage({ text: result.error ?? "Something went wrong.", tone: "error" });
    }
  };

  const item = (node: TreeNode<UnitNode>) => {
    const childrenId = `unit-${node.id}-children`;
    const isOpen = openByDefault(node) !== toggled.has(node.id);
    return (
      <li key={node.id} aria-label={node.name} className="space-y-2">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-md border border-slate-200 bg-white px-3 py-2">
          {node.children.length > 0 ? (
            <button
              type="button"
              aria-expanded={isOpen}
              aria-controls={isOpen ? childrenId : undefined}
              aria-label={`Units below ${node.name}`}
              onClick={() => toggle(node.id)}
              className="inline-flex h-6 w-6 items-center justify-center rounded text-slate-700 hover:bg-slate-100">
              <span aria-hidden="true">{isOpen ? "▾" : "▸"}</span>
            </button>
          ) : (
            <span aria-hidden="true" className="inline-block w-6" />
          )}
          <span className="font-medium">{node.name}</span>
          <span className="text-xs text-slate-600">
            {plural(node.members, "member", "members")}
            {node.children.length > 0 ? ` · ${plural(node.children.length, "unit", "units")} below` : ""}
            {node.grants > 0 ? ` · ${plural(node.grants, "role given on it", "roles given on it")}` : ""}
          </span>
          <Link href={`/users?unit=${node.id}`} aria-label={`Members of ${node.name}`} className="text-sm text-brand-600 underline">
            Members
          </Link>
          <span className="ml-auto flex flex-wrap gap-2">
            <Button variant="secondary" aria-label={`Add unit under ${node.name}`} onClick={(event) => open({ kind: "create", parentId: node.id, opener: event.currentTarget })}>
              Add unit
            </Button>
            {node.changeable ? (
              <>
                <Button variant="secondary" aria-label={`Rename ${node.name}`} onClick={(event) => open({ kind: "rename", unit: node, opener: event.currentTarget })}>
                  Rename
                </Button>
                <Button variant="secondary" aria-label={`Move ${node.name}`} onClick={(event) => open({ kind: "move", unit: node, opener: event.currentTarget })}>
                  Move
                </Button>
                <Button variant="danger" busy={busy === node.id} aria-label={`Delete ${node.name}`} onClick={() => remove(node)}>
                  Delete
                </Button>
              </>
            ) : null}
          </span>
        </div>
        {node.children.length > 0 && isOpen ? (
          <ul id={childrenId} aria-label={`Units below ${node.name}`} className="ml-6 space-y-2 border-l border-slate-200 pl-3">
            {node.children.map(item)}
          </ul>
        ) : null}
      </li>
    );
  };

  return (
    <div className="space-y-4">
      {mayAddTopLevel ? (
        <div>
          <Button onClick={(event) => open({ kind: "create", parentId: null, opener: event.currentTarget })}>New unit</Button>
        </div>
      ) : null}
      <div role="status" aria-live="polite" aria-label="Unit messages" className="min-h-6 text-sm">
        {message ? <p className={message.tone === "ok" ? "text-emerald-700" : "text-red-700"}>{message.text}</p> : null}
      </div>
      {roots.length === 0 ? (
        <p className="text-sm text-slate-600">No units yet. Start with your organisation at the top, then add the units below it.</p>
      ) : (
        <ul aria-label="Organisation units" className="space-y-2">
          {roots.map(item)}
        </ul>
      )}
      {dialog ? (
        <UnitDialog
          key={openings}
          state={dialog}
          units={units}
          mayAddTopLevel={mayAddTopLevel}
          onOpenChange={(isOpen) => setDialog({ ...dialog, open: isOpen })}
          onDone={(text) => {
            setMessage({ text, tone: "ok" });
            router.refresh();
          }}
        />
      ) : null}
    </div>
  );
}
