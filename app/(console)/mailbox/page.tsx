import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { MessageText } from "@/components/mailbox/message-text";
import { can } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { listMailbox } from "@/lib/email";

export const metadata: Metadata = { title: "Mailbox" };

/** Without an email provider, messages stay in the outbox; this page is where people read them. */
export default async function MailboxPage() {
  const user = await requireUser();
  if (config().email.resendApiKey) notFound();
    // A demo admin passes invitation links on; nobody reads another person's codes.
  const seesInvitations = can(user, "members.invite");
  const messages = await listMailbox(await getDb(), { ...user, seesInvitations }, config().staffEmailDomain);
  return (
    <section className="max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold">Mailbox</h1>
      <p className="text-sm text-slate-600">
        No email provider is configured (RESEND_API_KEY), so messages are kept here instead of being sent.
        {seesInvitations ? " You see messages sent to you and your account's invitations." : " You see messages sent to you."} The Mailbox
        is for trying {config().appName} out: set RESEND_API_KEY in production, where codes must reach only their owner&apos;s inbox.
      </p>
      {messages.length === 0 ? <p className="text-sm text-slate-600">No messages yet.</p> : null}
      <ul className="space-y-3">
        {messages.map((m) => (
          <li key={m.id}>
            <article aria-label={m.subject} className="rounded-lg border border-slate-200 bg-white p-4 wrap-anywhere">
              <header className="mb-2 text-sm">
                <h2 className="font-medium">{m.subject}</h2>
                <p className="text-slate-500">
                  To {m.toAddress} · <time dateTime={m.createdAt.toISOString()}>{m.createdAt.toLocaleString("en-GB", { timeZone: "UTC" })} UTC</time>
                </p>
              </header>
              {m.body ? <MessageText text={m.body.text} /> : <p className="text-sm text-slate-500">(body removed after delivery)</p>}
            </article>
          </li>
        ))}
      </ul>
    </section>
  );
}
