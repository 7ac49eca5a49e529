import type { Metadata } from "next";
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
    </section>
  );
}
