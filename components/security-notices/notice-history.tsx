import { SimpleTable } from "@/components/ui/simple-table";
import { Badge } from "@/components/ui/badge";
import type { NoticeHistoryRow } from "@/lib/security-notices/notices";

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const TONES = { Sent: "green", Queued: "slate", Sending: "slate", "Not delivered": "red", "In the Mailbox": "blue" } as const;

/** O4: the security notices sent to the person, newest first (a server component: nothing to click). */
export function NoticeHistory({ notices }: { notices: NoticeHistoryRow[] }) {
  return (
    <SimpleTable caption="Security notifications sent to you" headers={["Notification", "Status", "Time"]} isEmpty={notices.length === 0} empty="No security notifications yet.">
      {notices.map((notice) => (
        <tr key={notice.id}>
          <td className="px-4 py-3">{notice.subject}</td>
          <td className="px-4 py-3">
            <Badge tone={TONES[notice.status]}>{notice.status}</Badge>
          </td>
          <td className="px-4 py-3">{dateTime.format(notice.at)} UTC</td>
        </tr>
      ))}
    </SimpleTable>
  );
}
