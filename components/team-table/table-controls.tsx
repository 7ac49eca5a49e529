"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";

const STATUS_OPTIONS = [
  { value: "", label: "All" },
  { value: "active", label: "Active" },
  { value: "invited", label: "Invited" },
  { value: "disabled", label: "Disabled" },
];

/** Keeps the view in the URL, so a reload or a shared link shows the same page. */
export function useTableUrl() {
  const router = useRouter();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const current = params.toString();
  // The URL changes only once the new view has arrived. Until then, a second change (the
  // search box's debounced update, say) builds on the first one asked for, not on the URL
  // it was about to replace, so a status chosen meanwhile is not undone.
  const asked = useRef<{ from: string; query: string } | null>(null);
  const update = (changes: Record<string, string | null>, resetPage = true) => {
    const next = new URLSearchParams(asked.current?.from === current ? asked.current.query : current);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (resetPage) next.delete("page");
    const query = next.toString();
    asked.current = { from: current, query };
    startTransition(() => router.replace(query ? `/users?${query}` : "/users", { scroll: false }));
  };
  return { params, update, pending, refresh: () => startTransition(() => router.refresh()) };
}

export function TableControls() {
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
      <Button variant="secondary" onClick={refresh} disabled={pending}>
        Refresh
      </Button>
      <span aria-live="polite" className="text-sm text-slate-500">
        {pending ? "Loading…" : ""}
      </span>
    </div>
  );
}
