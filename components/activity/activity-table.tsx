import { Badge } from "@/components/ui/badge";
import { SimpleTable } from "@/components/ui/simple-table";
import type { ActivityEntry } from "@/lib/activity/log";

const when = (date: Date) => `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;

function Outcome({ entry }: { entry: ActivityEntry }) {
  return entry.failed ? <Badge tone="red">{entry.resultLabel}</Badge> : <Badge tone="green">{entry.resultLabel}</Badge>;
}

/** O2: the account's sign-in attempts — who, when, how, the result, and from where. */
export function ActivityTable({ entries, caption }: { entries: ActivityEntry[]; caption: string }) {
  return (
    <SimpleTable caption={caption} headers={["When", "Person", "Result", "Method", "Address", "User agent"]} isEmpty={entries.length === 0} empty="No sign-in attempts match.">
      {entries.map((entry) => (
        <tr key={entry.id} className="align-top">
          <td className="whitespace-nowrap px-4 py-2">
            <time dateTime={entry.createdAt.toISOString()}>{when(entry.createdAt)}</time>
          </td>
          <td className="px-4 py-2 break-all">
            {entry.email ?? "—"}
            {entry.userName ? <span className="block text-xs text-slate-600">{entry.userName}</span> : null}
          </td>
          <td className="px-4 py-2">
            <Outcome entry={entry} />
            {entry.detail ? <span className="mt-1 block text-xs text-slate-600">{entry.detail}</span> : null}
          </td>
          <td className="px-4 py-2">{entry.methodLabel}</td>
          <td className="px-4 py-2">{entry.ip ?? "—"}</td>
          <td className="max-w-xs px-4 py-2 break-all text-xs">{entry.userAgent ?? "—"}</td>
        </tr>
      ))}
    </SimpleTable>
  );
}

/** O2: one person's recent sign-ins (their own on Personal Account, or a member's for an administrator). */
export function SignInHistory({ entries, label }: { entries: ActivityEntry[]; label: string }) {
  if (entries.length === 0) return <p className="text-sm text-slate-600">No sign-in attempts recorded yet.</p>;
  return (
    <SimpleTable caption={label} headers={["When", "Result", "Method", "Address", "User agent"]} isEmpty={false} empty="">
      {entries.map((entry) => (
        <tr key={entry.id} className="align-top">
          <td className="whitespace-nowrap px-4 py-2">
            <time dateTime={entry.createdAt.toISOString()}>{when(entry.createdAt)}</time>
          </td>
          <td className="px-4 py-2">
            <Outcome entry={entry} />
          </td>
          <td className="px-4 py-2">{entry.methodLabel}</td>
          <td className="px-4 py-2">{entry.ip ?? "—"}</td>
          <td className="max-w-xs px-4 py-2 break-all text-xs">{entry.userAgent ?? "—"}</td>
        </tr>
      ))}
    </SimpleTable>
  );
}
