import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { Badge } from "@/components/ui/badge";
import { SimpleTable } from "@/components/ui/simple-table";
import { requirePermission } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { deliveryDetail, listDeliveries, type Delivery } from "@/lib/email";

export const metadata: Metadata = { title: "Email delivery" };

const when = (date: Date) => `${date.toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" })} UTC`;

function statusOf(d: Delivery) {
  switch (d.status) {
    case "sent":
      return <Badge tone="green">Sent</Badge>;
    case "failed":
      return <Badge tone="red">Failed</Badge>;
    case "stored":
      return <Badge tone="slate">Held (no provider)</Badge>;
    case "sending":
      return <Badge tone="blue">Sending</Badge>;
    default:
      return d.attempts > 0 ? <Badge tone="amber">Retrying</Badge> : <Badge tone="blue">Queued</Badge>;
  }
}

/** I2: the account's email and whether each message went out — never the bodies (codes and links are their owner's). */
export default async function EmailDeliveryPage() {
  const user = await requirePermission("members.invite");
  const deliveries = await listDeliveries(await getDb(), user, config().staffEmailDomain);
  return (
    <section className="space-y-4">
      <div>
        <Link href="/users" className="text-sm text-brand-600 underline">
          ← User Management
        </Link>
        <h1 className="mt-2 text-2xl font-semibold">Email delivery</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          The latest 100 messages your account sent: who each went to and whether it arrived. Failed attempts are retried with growing pauses.
          Contents are not shown here — codes and links belong to their recipient.
        </p>
      </div>
      <SimpleTable caption="Email sent by your account, newest first" headers={["Sent to", "Subject", "Status", "Details", "Queued"]} isEmpty={deliveries.length === 0} empty="No email yet.">
        {deliveries.map((d) => (
          <tr key={d.id}>
            <td className="px-4 py-3">{d.toAddress}</td>
            <td className="px-4 py-3">{d.subject}</td>
            <td className="px-4 py-3">{statusOf(d)}</td>
            <td className="px-4 py-3 text-slate-600">{deliveryDetail(d)}</td>
            <td className="whitespace-nowrap px-4 py-3 text-slate-600">
              <time dateTime={d.createdAt.toISOString()}>{when(d.createdAt)}</time>
            </td>
          </tr>
        ))}
      </SimpleTable>
    </section>
  );
}
