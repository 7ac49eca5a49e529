"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { UnitSelect } from "@/components/org-units/unit-select";
import { Button } from "@/components/ui/button";
import type { UnitChoice } from "@/lib/org-units/choices";

const STATUS_OPTIONS = [
  { value: "", label: "All" },
  { value: "active", label: "Active" },
  { value: "invited", label: "Invited" },
  { value: "disabled", label: "Disabled" },
  // A5: anyone whose membership, a role or an application ends within 30 days.
  { value: "expiring", label: "Expiring within 30 days" },
];

/** Keeps the view in the URL, so a reload or a shared link shows the same page. */
export function useTableUrl() {
  const router = useRouter();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  // The view asked for last: while a navigation is still on its way, the URL (and so
  // `params`) is the old one, and a second change built on it would undo the first
  // (a search typed just after choosing a status used to drop the status).
  const intended = useRef(params.toString());
  useEffect(() => {
    if (!pending) intended.current = params.toString();
  }, [params, pending]);
  const update = (changes: Record<string, string | null>, resetPage = true) => {
    const next = new URLSearchParams(intended.current);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (resetPage) next.delete("page");
    const query = next.toString();
    intended.current = query;
    startTransition(() => router.replace(query ? `/users?${query}` : "/users", { scroll: false }));
  };
  return { params, update, pending, refresh: () => startTransition(() => router.refresh()) };
}

/** Search, status, role and unit filters (all server-side, all in the URL), and Refresh. */
export function TableControls({ roleFilter, unitFilter }: { roleFilter: readonly { key: string; name: string }[]; unitFilter: readonly UnitChoice[] }) {
  const { params, update, pending, refresh } = useTableUrl();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const lastSent = useRef(params.get("q") ?? "");

  // Search as you type, a moment after the last keystroke.
  useEffect(() => {
    if (search === lastSent.current) return;
    const timer = setTimeout(() => {
      lastSent.current = search;
      update({ q: search.trim() || null });
    }, 300);
    return () => clearTimeout(timer);
  });

  return (
    <div className="flex flex-wrap items-end gap-3" role="search">
      <div className="space-y-1">
        <label htmlFor="member-search" className="block text-sm font-medium text-slate-700">
          Search
        </label>
        <input
          id="member-search"
          type="search"
          placeholder="Name or email"
          value={search}
          maxLength={200}
          onChange={(e) => setSearch(e.target.value)}
          className="w-72 rounded-md border border-slate-500 bg-white px-3 py-2 text-sm"
        />
      </div>
      <div className="space-y-1">
        <label htmlFor="member-status" className="block text-sm font-medium text-slate-700">
          Status
        </label>
        <select
          id="member-status"
          value={params.get("status") ?? ""}
          onChange={(e) => update({ status: e.target.value || null })}
          className="rounded-md border border-slate-500 bg-white px-3 py-2 text-sm"
        >
          {STATUS_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-1">
        <label htmlFor="member-role" className="block text-sm font-medium text-slate-700">
          Role
        </label>
        <select
          id="member-role"
          value={params.get("role") ?? ""}
          onChange={(e) => update({ role: e.target.value || null })}
          className="rounded-md border border-slate-500 bg-white px-3 py-2 text-sm"
        >
          <option value="">All roles</option>
          {roleFilter.map((role) => (
            <option key={role.key} value={role.key}>
              {role.name}
            </option>
          ))}
        </select>
      </div>
      {unitFilter.length > 0 ? (
        // A4: a unit and everything below it.
        <UnitSelect id="member-unit" label="Unit" value={params.get("unit") ?? ""} onChange={(unit) => update({ unit: unit || null })} units={unitFilter} none="All units" className="max-w-xs" />
      ) : null}
      <Button variant="secondary" onClick={refresh} disabled={pending}>
        Refresh
      </Button>
      <span aria-live="polite" className="text-sm text-slate-500">
        {pending ? "Loading…" : ""}
      </span>
    </div>
  );
}

/** A sortable column's header button: the first click sorts ascending, the next flips it. */
export function SortButton({ column, label, active, direction }: { column: string; label: string; active: boolean; direction: "asc" | "desc" }) {
  const { update } = useTableUrl();
  const next = active && direction === "asc" ? "desc" : "asc";
  return (
    <button type="button" className="inline-flex items-center gap-1 font-semibold" onClick={() => update({ sort: column, dir: next }, false)}>
      {label}
      <span aria-hidden="true">{active ? (direction === "asc" ? "▲" : "▼") : "↕"}</span>
      <span className="sr-only">{active ? `, sorted ${direction === "asc" ? "ascending" : "descending"}` : ", sortable"}</span>
    </button>
  );
}

/** Previous or next page of the table. */
export function PageButton({ page, disabled, children }: { page: number; disabled: boolean; children: React.ReactNode }) {
  const { update } = useTableUrl();
  return (
    <Button variant="secondary" disabled={disabled} onClick={() => update({ page: String(page) }, false)}>
      {children}
    </Button>
  );
}
