import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";
import { lookUpInvitation } from "@/lib/team/invitations";

export const metadata: Metadata = { title: "Accept invitation" };

const ENDED = {
  invalid: { title: "Invitation not valid", text: "This invitation link is not valid. Check that you copied the whole link from the email." },
  expired: { title: "Invitation expired", text: "This invitation has expired. Ask your administrator to send a new one." },
  revoked: { title: "Invitation revoked", text: "This invitation was revoked by your administrator." },
  accepted: { title: "Invitation already accepted", text: "This invitation has already been used. Sign in with your email and password." },
};

export default async function AcceptInvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await lookUpInvitation(await getDb(), token);
  if (invitation.state !== "valid") {
    const ended = ENDED[invitation.state];
    return (
      <>
        <h1 className="mb-2 text-lg font-semibold">{ended.title}</h1>
        <p className="text-sm text-slate-600">{ended.text}</p>
        <Link href="/sign-in" className="mt-4 inline-block text-sm text-brand-600 underline">
          Go to sign in
        </Link>
      </>
    );
  }
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">Join {invitation.accountName}</h1>
      <AcceptInvitationForm token={token} email={invitation.email} defaultName={invitation.name} />
    </>
  );
}
