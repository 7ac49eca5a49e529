import { SimpleTable } from "@/components/ui/simple-table";
import { Badge } from "@/components/ui/badge";
import type { AuditLogEntry } from "@/lib/audit/log";

const when = (date: Date) => `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;

/** O1: who, what, to whom, when, from where, and the result. */
export function AuditTable({ entries, caption }: { entries: AuditLogEntry[]; caption: string }) {
  return (
    <SimpleTable caption={caption} headers={["When", "Who", "Action", "Target", "Address", "User agent", "Result"]} isEmpty={entries.length === 0} empty="No events match.">
      {entries.map((entry) => (
        <tr key={entry.id} className="align-top">
          <td className="whitespace-nowrap px-4 py-2">
            <time dateTime={entry.createdAt.toISOString()}>{when(entry.createdAt)}</time>
          </td>
          <td className="px-4 py-2 break-all">{entry.actorLabel}</td>
          <td className="px-4 py-2">
            {entry.label}
            {Object.keys(entry.details).length ? <pre className="mt-1 max-w-xs whitespace-pre-wrap break-all text-xs text-slate-600">{JSON.stringify(entry.details)}</pre> : null}
          </td>
          <td className="px-4 py-2 break-all">{entry.targetLabel ?? "—"}</td>
          <td className="px-4 py-2">{entry.ip ?? "—"}</td>
          <td className="max-w-xs px-4 py-2 break-all text-xs">{entry.userAgent ?? "—"}</td>
          <td className="px-4 py-2">{entry.result === "failure" ? <Badge tone="red">Failed</Badge> : <Badge tone="green">Done</Badge>}</td>
        </tr>
      ))}
    </SimpleTable>
  );
}
