"use client";

import { useState } from "react";
import { verifyAuditIntegrity } from "@/app/(console)/audit/actions";
import { Button } from "@/components/ui/button";

const PROBLEMS = {
  altered: "its contents no longer match its hash: it was changed after it was written",
  unlinked: "it does not follow the row before it: a row before it was removed or changed",
  missing_after: "rows written after it are missing",
  missing_before: "the rows of the chain are missing",
} as const;

/** O1: recomputes the account's hash chain and names the first broken row. */
export function VerifyIntegrity() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);
  const verify = async () => {
    setBusy(true);
    setMessage(null);
    const result = await verifyAuditIntegrity({});
    setBusy(false);
    if (!result.ok) return setMessage({ text: result.error ?? "Something went wrong.", tone: "error" });
    const { rows, broken } = result.data;
    setMessage(
      broken
        ? { text: `Integrity check failed at event #${broken.id} (${broken.action}, ${broken.at.slice(0, 19).replace("T", " ")} UTC): ${PROBLEMS[broken.problem]}.`, tone: "error" }
        : { text: `Integrity OK: all ${rows.toLocaleString("en-GB")} events are intact and in order.`, tone: "ok" },
    );
  };
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button type="button" variant="secondary" busy={busy} onClick={verify}>
        Verify integrity
      </Button>
      <p role="status" aria-live="polite" className={`text-sm ${message?.tone === "error" ? "text-red-700" : "text-emerald-700"}`}>
        {message?.text}
      </p>
    </div>
  );
}
