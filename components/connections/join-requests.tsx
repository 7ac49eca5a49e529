"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { approveJoinFromDomainsAction, declineJoinFromDomainsAction } from "@/app/(console)/settings/domains/actions";
import { approveJoinRequestAction, declineJoinRequestAction } from "@/app/(console)/users/actions";
import { Button } from "@/components/ui/button";
import { SimpleTable } from "@/components/ui/simple-table";

type Request = { id: string; email: string; name: string; requestedAt: string };

const ACTIONS = {
  team: { approve: approveJoinRequestAction, decline: declineJoinRequestAction },
  domains: { approve: approveJoinFromDomainsAction, decline: declineJoinFromDomainsAction },
};

/**
 * B5: people of a verified domain who signed in through the IdP and wait for an
 * administrator — in the team table (Invite people), and on Verified domains (Manage
 * connections; the one place in an SSO-only account).
 */
export function JoinRequests({ requests, on = "team" }: { requests: Request[]; on?: keyof typeof ACTIONS }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);

  const decide = async (request: Request, approve: boolean) => {
    setBusy(`${approve ? "approve" : "decline"}:${request.id}`);
    setMessage(null);
    const result = await (approve ? ACTIONS[on].approve : ACTIONS[on].decline)({ requestId: request.id });
    setBusy(null);
    if (result.ok) {
      setMessage({ text: approve ? `${request.email} joined the account.` : `${request.email}'s request was declined.`, tone: "ok" });
      router.refresh();
    } else setMessage({ text: result.error ?? "Something went wrong.", tone: "error" });
  };

  return (
    <section aria-labelledby="join-requests-heading" className="space-y-3">
      <h2 id="join-requests-heading" className="text-lg font-semibold">
        Waiting for approval
      </h2>
      <SimpleTable caption="Waiting for approval" headers={["Name", "Email", "Asked", ""]} isEmpty={requests.length === 0} empty="Nobody is waiting.">
        {requests.map((request) => (
          <tr key={request.id}>
            <td className="px-4 py-2 font-medium">{request.name || "—"}</td>
            <td className="px-4 py-2">{request.email}</td>
            <td className="px-4 py-2">{new Date(request.requestedAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC</td>
            <td className="space-x-2 px-4 py-2 text-right">
              <Button busy={busy === `approve:${request.id}`} aria-label={`Approve ${request.email}`} onClick={() => decide(request, true)}>
                Approve
              </Button>
              <Button variant="secondary" busy={busy === `decline:${request.id}`} aria-label={`Decline ${request.email}`} onClick={() => decide(request, false)}>
                Decline
              </Button>
            </td>
          </tr>
        ))}
      </SimpleTable>
      {message ? (
        <p role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "text-sm text-red-700" : "text-sm text-green-800"}>
          {message.text}
        </p>
      ) : null}
    </section>
  );
}
