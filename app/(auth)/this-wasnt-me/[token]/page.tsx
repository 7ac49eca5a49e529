import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { ThisWasntMeForm } from "@/components/auth/this-wasnt-me-form";
import { previewThisWasntMe } from "@/lib/security-notices/this-wasnt-me";

export const metadata: Metadata = { title: "This wasn't me" };

const ENDED_LINK = {
  invalid: { title: "Link not valid", text: "This link is not valid. Check that you copied the whole link from the email." },
  expired: {
    title: "Link expired",
    text: "\"This wasn't me\" links work for 7 days. If someone else is using your account, set a new password with Forgot password?: that signs out every session.",
  },
  used: { title: "Link already used", text: "This link was already used: every session was signed out then. Set a new password with Forgot password? if you have not yet." },
};

/** O4: what "This wasn't me" will do, and a button to do it. Opening the link changes nothing (mail scanners open links). */
export default async function ThisWasntMePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const preview = await previewThisWasntMe(await getDb(), token);
  if (preview.state !== "valid") {
    const ended = ENDED_LINK[preview.state];
    return (
      <>
        <h1 className="mb-2 text-lg font-semibold">{ended.title}</h1>
        <p className="text-sm text-slate-600">{ended.text}</p>
        <Link href="/forgot-password" className="mt-4 inline-block text-sm text-brand-600 underline">
          Forgot password?
        </Link>
      </>
    );
  }
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">This wasn&apos;t me</h1>
      <p className="mb-4 text-sm text-slate-600">
        For {preview.email} in {preview.accountName}
      </p>
      <ThisWasntMeForm token={token} resetsPassword={preview.resetsPassword} apiKeys={preview.apiKeys} passkeys={preview.passkeys} />
    </>
  );
}
