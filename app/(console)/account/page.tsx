import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Personal Account" };

export default async function PersonalAccountPage() {
  const user = await requireUser();
  return (
    <section className="max-w-2xl space-y-6">
      <h1 className="text-2xl font-semibold">Personal Account</h1>
      <div className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 className="mb-3 text-lg font-medium">Personal details</h2>
        <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">Name</dt>
          <dd>{user.name || "—"}</dd>
          <dt className="text-slate-500">Email</dt>
          <dd>{user.email}</dd>
          <dt className="text-slate-500">Role</dt>
          <dd>{user.role === "primary" ? "Primary user (administrator)" : "Member"}</dd>
        </dl>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 className="mb-2 text-lg font-medium">Two-Factor Authentication</h2>
        <p className="mb-3 text-sm text-slate-700">
          {user.twoFactorEnabled ? "On: every sign-in asks for a code from your authenticator app." : "Off: your sign-in uses your password only."}
        </p>
        <Link href="/account/two-factor" className="text-sm font-medium text-brand-600 underline">
          {user.twoFactorEnabled ? "Manage two-factor authentication" : "Set up two-factor authentication"}
        </Link>
      </div>
    </section>
  );
}
