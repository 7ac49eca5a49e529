"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { applyImport, previewImport } from "@/app/(console)/properties/actions";
import { failureText, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { SimpleTable } from "@/components/ui/simple-table";
import type { ImportError, ImportRow } from "@/lib/properties/csv-import";

/**
 * A7: property values for many people at once. The file is previewed first — the change
 * for each person, or every bad row by its line — and applied only when no row is bad,
 * all of it in one transaction.
 */
export function CsvImport({ keys }: { keys: string[] }) {
  const router = useRouter();
  const runSensitive = useStepUp();
  const [csv, setCsv] = useState("");
  const [plan, setPlan] = useState<{ rows: ImportRow[]; errors: ImportError[] } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);
  const edit = (text: string) => {
    setCsv(text);
    setPlan(null);
  };

  const preview = async () => {
    setBusy("preview");
    setMessage(null);
    const result = await previewImport({ csv });
    setBusy(null);
    if (result.ok) setPlan(result.data);
    else setMessage({ text: result.error ?? "Something went wrong.", tone: "error" });
  };

  const apply = async () => {
    setBusy("apply");
    setMessage(null);
    const result = await runSensitive(applyImport, { csv });
    setBusy(null);
    if (result.ok) {
      setMessage({ text: `Imported ${result.data.values} ${result.data.values === 1 ? "value" : "values"} for ${result.data.people} ${result.data.people === 1 ? "person" : "people"}.`, tone: "ok" });
      setPlan(null);
      setCsv("");
      router.refresh();
    } else setMessage({ text: failureText(result), tone: "error" });
  };

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">
        A header line <code className="font-mono">email,{keys.length ? keys.join(",") : "<key>"}</code>, then one person a line. An empty cell keeps the value as it is; a unit is named by its path (EMEA / France).
      </p>
      <label className="block space-y-1 text-sm">
        <span className="block font-medium text-slate-700">CSV file</span>
        <input type="file" accept=".csv,text/csv" className="block text-sm" onChange={async (e) => edit((await e.target.files?.[0]?.text()) ?? "")} />
      </label>
      <label className="block space-y-1 text-sm">
        <span className="block font-medium text-slate-700">CSV text</span>
        <textarea className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2 font-mono text-xs" rows={6} value={csv} onChange={(e) => edit(e.target.value)} />
      </label>
      <div className="flex gap-2">
        <Button variant="secondary" busy={busy === "preview"} onClick={preview}>
          Preview import
        </Button>
        <Button busy={busy === "apply"} aria-disabled={!plan || plan.errors.length > 0 || plan.rows.length === 0 ? true : undefined} onClick={() => plan && plan.errors.length === 0 && plan.rows.length > 0 && apply()}>
          Apply import
        </Button>
      </div>
      {plan && plan.errors.length > 0 ? (
        <div className="space-y-2">
          <p role="alert" className="text-sm text-red-700">
            {plan.errors.length === 1 ? "1 problem" : `${plan.errors.length} problems`}: nothing can be imported until the file is fixed.
          </p>
          <SimpleTable caption="Problems in the file" headers={["Line", "Problem"]} isEmpty={false} empty="">
            {plan.errors.map((error, i) => (
              <tr key={i}>
                <td className="px-4 py-2">{error.line}</td>
                <td className="px-4 py-2">{error.message}</td>
              </tr>
            ))}
          </SimpleTable>
        </div>
      ) : plan ? (
        <SimpleTable caption="Changes the import would make" headers={["Line", "Person", "Changes"]} isEmpty={plan.rows.length === 0} empty="Nothing would change.">
          {plan.rows.map((row) => (
            <tr key={row.line}>
              <td className="px-4 py-2">{row.line}</td>
              <td className="px-4 py-2">{row.email}</td>
              <td className="px-4 py-2">{row.changes.map((c) => `${c.label}: ${c.before || "—"} → ${c.after}`).join("; ")}</td>
            </tr>
          ))}
        </SimpleTable>
      ) : null}
      {message ? (
        <p role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "text-sm text-red-700" : "text-sm text-green-800"}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
