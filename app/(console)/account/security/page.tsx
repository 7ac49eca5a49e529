import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { PasskeysPanel } from "@/components/passkeys/passkeys-panel";
import { NoticeHistory } from "@/components/security-notices/notice-history";
import { OwnSessions } from "@/components/sessions-table/sessions-table";
import { requireUser } from "@/lib/auth/session";
import { listOwnPasskeys } from "@/lib/passkeys/manage";
import { listOwnSecurityNotices } from "@/lib/security-notices/notices";
import { listOwnSessions, toSessionRows } from "@/lib/sessions";

export const metadata: Metadata = { title: "Security" };

const NOTICES_SHOWN = 20;

/** B1: the person's passkeys. B2: where the person is signed in, and ending any or all other sessions. O4: the security notices sent to them. */
export default async function SecurityPage() {
  const user = await requireUser();
  const db = await getDb();
  const [passkeys, sessions, notices] = await Promise.all([listOwnPasskeys(db, user), listOwnSessions(db, user), listOwnSecurityNotices(db, user, NOTICES_SHOWN)]);
  return (
    <section className="max-w-4xl space-y-4">
      <p className="text-sm">
        <Link href="/account" className="text-brand-600 underline">
          ← Personal Account
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">Security</h1>
      <section aria-labelledby="passkeys-heading" className="space-y-3">
        <h2 id="passkeys-heading" className="text-lg font-medium">
          Passkeys
        </h2>
        <p className="text-sm text-slate-600">
          A passkey signs you in with your fingerprint, face or device PIN instead of a password, and counts as your second step after a password.{" "}
          {user.signsInWithPassword ? "Adding or removing one asks for your password" : "Adding or removing one asks for a code we email you"}, and we tell you by email.
        </p>
        <PasskeysPanel passkeys={passkeys} proof={user.signsInWithPassword ? "password" : "emailed-code"} />
      </section>
      <section aria-labelledby="sessions-heading" className="space-y-3">
        <h2 id="sessions-heading" className="text-lg font-medium">
          Signed-in sessions
        </h2>
        <p className="text-sm text-slate-600">
          Where you are signed in now. If you do not recognise a session, end it and change your password. Ending a session signs that browser out at its next
          click.
        </p>
        <OwnSessions sessions={toSessionRows(sessions)} />
      </section>
      <section aria-labelledby="notices-heading" className="space-y-3">
        <h2 id="notices-heading" className="text-lg font-medium">
          Security notifications
        </h2>
        <p className="text-sm text-slate-600">
          The last {NOTICES_SHOWN} emails we sent you about your account&apos;s security. Each has a &quot;This wasn&apos;t me&quot; link, in case you did not do what
          it reports.
        </p>
        <NoticeHistory notices={notices} />
      </section>
    </section>
  );
}
