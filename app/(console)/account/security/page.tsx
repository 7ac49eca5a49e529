import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { PasskeysPanel } from "@/components/passkeys/passkeys-panel";
import { NoticeHistory } from "@/components/security-notices/notice-history";
import { OwnSessions } from "@/components/sessions-table/sessions-table";
import { SignInHistory } from "@/components/activity/activity-table";
import { readOwnSignIns } from "@/lib/activity/log";
import { requireUser } from "@/lib/auth/session";
import { listOwnPasskeys } from "@/lib/passkeys/manage";
import { listOwnSecurityNotices } from "@/lib/security-notices/notices";
import { listOwnSessions, toSessionRows } from "@/lib/sessions";

export const metadata: Metadata = { title: "Security" };

const NOTICES_SHOWN = 20;
/** O2: sign-ins shown at first, and how many more each "Show more" adds (to at most 500). */
const SIGN_INS_SHOWN = 10;
const SIGN_INS_MAX = 500;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** B1: the person's passkeys. B2: where the person is signed in, and ending any or all other sessions. O2: their sign-in history. O4: the security notices sent to them. */
export default async function SecurityPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const db = await getDb();
  const asked = Number((await searchParams).signins);
  const signInsShown = Number.isInteger(asked) && asked > SIGN_INS_SHOWN ? Math.min(asked, SIGN_INS_MAX) : SIGN_INS_SHOWN;
  const [passkeys, sessions, notices, signIns] = await Promise.all([
    listOwnPasskeys(db, user),
    listOwnSessions(db, user),
    listOwnSecurityNotices(db, user, NOTICES_SHOWN),
    readOwnSignIns(db, user, signInsShown),
  ]);
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
      <section aria-labelledby="sign-ins-heading" className="space-y-3">
        <h2 id="sign-ins-heading" className="text-lg font-medium">
          Sign-in history
        </h2>
        <p className="text-sm text-slate-600">
          Your most recent sign-in attempts, failed ones included. If you see one you did not make, change your password and end your other sessions.
        </p>
        <SignInHistory entries={signIns.entries} label="Your sign-in attempts, newest first" />
        {signIns.more && signInsShown < SIGN_INS_MAX ? (
          <p className="text-sm">
            <Link href={`/account/security?signins=${Math.min(signInsShown * 2, SIGN_INS_MAX)}#sign-ins-heading`} className="text-brand-600 underline" scroll={false}>
              Show more
            </Link>
          </p>
        ) : null}
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
