"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { endOtherSessions, endSession } from "@/app/(console)/account/security/actions";
import { endMemberSessions } from "@/app/(console)/users/[id]/actions";
import { useStepUp } from "@/components/step-up/step-up-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SimpleTable } from "@/components/ui/simple-table";

/** A session as the browser receives it: an opaque handle, never the session's ID or hash. */
export type SessionRow = { handle: string; browser: string; os: string; ip: string | null; createdAt: string; lastSeenAt: string; current: boolean };

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (value: string) => `${dateTime.format(new Date(value))} UTC`;

function Rows({ sessions, onEnd }: { sessions: SessionRow[]; onEnd?: (session: SessionRow) => void }) {
  return sessions.map((session) => (
    <tr key={session.handle}>
      <td className="px-4 py-3">
        <span className="font-medium">{session.browser}</span> on {session.os} {session.current ? <Badge tone="green">This device</Badge> : null}
      </td>
      <td className="px-4 py-3 font-mono">{session.ip ?? "Unknown"}</td>
      <td className="px-4 py-3">{when(session.createdAt)}</td>
      <td className="px-4 py-3">{when(session.lastSeenAt)}</td>
      {onEnd ? (
        <td className="px-4 py-3 text-right">
          {session.current ? null : (
            <Button variant="secondary" aria-label={`End the session of ${session.browser} on ${session.os}, last seen ${when(session.lastSeenAt)}`} onClick={() => onEnd(session)}>
              End
            </Button>
          )}
        </td>
      ) : null}
    </tr>
  ));
}

const HEADERS = ["Browser and system", "Address", "Started", "Last seen"];

/** B2: the person's own sessions: end one, or every other one at once. */
export function OwnSessions({ sessions }: { sessions: SessionRow[] }) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const others = sessions.filter((session) => !session.current).length;

  const end = async (session: SessionRow) => {
    setBusy(true);
    const result = await endSession({ handle: session.handle });
    setBusy(false);
    setMessage(result.ok ? { text: `The session of ${session.browser} on ${session.os} was ended.`, error: false } : { text: result.error ?? "Something went wrong.", error: true });
    router.refresh();
  };

  const endOthers = async () => {
    setBusy(true);
    const result = await endOtherSessions({});
    setBusy(false);
    setMessage(
      result.ok
        ? { text: result.data.ended === 1 ? "1 other session was ended." : `${result.data.ended} other sessions were ended.`, error: false }
        : { text: result.error ?? "Something went wrong.", error: true },
    );
    router.refresh();
  };

  return (
    <div className="space-y-3">
      <SimpleTable caption="Your signed-in sessions" headers={[...HEADERS, ""]} isEmpty={sessions.length === 0} empty="No signed-in sessions.">
        <Rows sessions={sessions} onEnd={(session) => void end(session)} />
      </SimpleTable>
      <div className="flex flex-wrap items-center gap-3">
        {others > 0 ? (
          <Button variant="danger" busy={busy} onClick={() => void endOthers()}>
            End all other sessions
          </Button>
        ) : (
          <p className="text-sm text-slate-600">You are signed in on this device only.</p>
        )}
        <p role="status" aria-live="polite" className={`text-sm ${message?.error ? "text-red-700" : "text-emerald-700"}`}>
          {message?.text}
        </p>
      </div>
    </div>
  );
}

/** B2: a member's sessions, for an administrator, who can end them all (step-up). */
export function MemberSessions({ userId, who, sessions, canEnd }: { userId: string; who: string; sessions: SessionRow[]; canEnd: boolean }) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const runSensitive = useStepUp();
  const router = useRouter();

  const endAll = async () => {
    setBusy(true);
    const result = await runSensitive(endMemberSessions, { userId });
    setBusy(false);
    if (result.ok) {
      setMessage({ text: `Every session of ${who} was ended, and they were told by email.`, error: false });
      router.refresh();
    } else if ("cancelled" in result) {
      setMessage({ text: "Cancelled: no session was ended.", error: true });
    } else {
      setMessage({ text: result.error ?? "Something went wrong.", error: true });
    }
  };

  return (
    <div className="space-y-3">
      <SimpleTable caption={`Signed-in sessions of ${who}`} headers={HEADERS} isEmpty={sessions.length === 0} empty="Not signed in anywhere.">
        <Rows sessions={sessions} />
      </SimpleTable>
      <div className="flex flex-wrap items-center gap-3">
        {canEnd ? (
          <Button variant="danger" busy={busy} onClick={() => void endAll()}>
            End all sessions
          </Button>
        ) : null}
        <p role="status" aria-live="polite" className={`text-sm ${message?.error ? "text-red-700" : "text-emerald-700"}`}>
          {message?.text}
        </p>
      </div>
    </div>
  );
}
