import type { Metadata } from "next";
import { requirePrimaryUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "User Management" };

export default async function UserManagementPage() {
  await requirePrimaryUser();
  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">User Management</h1>
    </section>
  );
}
