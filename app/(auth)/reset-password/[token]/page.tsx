import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { lookUpPasswordReset } from "@/lib/auth/password-reset";

export const metadata: Metadata = { title: "Set a new password" };

const ENDED = {
  invalid: { title: "Reset link not valid", text: "This link is not valid. Check that you copied the whole link, or ask for a new one." },
  expired: { title: "Reset link expired", text: "Reset links work for 1 hour. Ask for a new one." },
  used: { title: "Reset link already used", text: "This link has already been used. Ask for a new one if you need to." },
};

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const reset = await lookUpPasswordReset(await getDb(), token);
  if (reset.state !== "valid") {
    const ended = ENDED[reset.state];
    return (
      <>
        <h1 className="mb-2 text-lg font-semibold">{ended.title}</h1>
        <p className="text-sm text-slate-600">{ended.text}</p>
        <Link href="/forgot-password" className="mt-4 inline-block text-sm text-brand-600 underline">
          Ask for a new link
        </Link>
      </>
    );
  }
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">Set a new password</h1>
      <p className="mb-4 text-sm text-slate-600">For {reset.email}</p>
      <ResetPasswordForm token={token} />
    </>
  );
}
