"use client";

import { useState } from "react";
import { formatExpiry } from "@/lib/expiry/format";
import { ExpiryBadge } from "./expiry-badge";
import { ExpiryDialog, type ExpiryTargetRef } from "./expiry-dialog";

/** One thing that can expire: the membership, a role grant or an application subscription. */
export type ExpiryRow = {
  id: string;
  /** What people read in the table: "Membership", "Developer (role)", "Studio (application)". */
  name: string;
  /** In a sentence: "the Developer role of Sam Lee". */
  what: string;
  target: ExpiryTargetRef;
  expiresAt: string | null;
  expired: boolean;
  /** Whether the viewer may change it (asked of `can` by the page; the server checks again). */
  canChange: boolean;
};

/** A5: when each part of a member's access ends, with Set / Change / Remove and Renew. */
export function AccessExpiryPanel({ userId, who, rows }: { userId: string; who: string; rows: ExpiryRow[] }) {
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);
  const onResult = (text: string, tone: "ok" | "error") => setMessage({ text, tone });
  return (
    <div className="space-y-3">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">When the access of {who} expires</caption>
        <thead className="text-slate-700">
          <tr>
            <th scope="col" className="py-2 pr-4 font-semibold">
              Access
            </th>
            <th scope="col" className="py-2 pr-4 font-semibold">
              Expires
            </th>
            <th scope="col" className="py-2 font-semibold">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row" className="py-2 pr-4 font-medium">
                {row.name}
              </th>
              <td className="py-2 pr-4">
                {row.expiresAt ? (
                  <span className="flex flex-wrap items-center gap-2">
                    <ExpiryBadge expiresAt={row.expiresAt} expired={row.expired} />
                    <span className="text-slate-600">{formatExpiry(row.expiresAt)}</span>
                  </span>
                ) : (
                  <span className="text-slate-500">Never</span>
                )}
              </td>
              <td className="py-2">
                {row.canChange ? (
                  <span className="flex flex-wrap justify-end gap-2">
                    {row.expiresAt ? <ExpiryDialog userId={userId} target={row.target} what={row.what} expiresAt={row.expiresAt} mode="renew" onResult={onResult} /> : null}
                    <ExpiryDialog userId={userId} target={row.target} what={row.what} expiresAt={row.expiresAt} mode="set" onResult={onResult} />
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p role="status" aria-label="Access expiry messages" className={`min-h-6 text-sm ${message?.tone === "error" ? "text-red-700" : "text-emerald-700"}`}>
        {message?.text}
      </p>
    </div>
  );
}
