import { config } from "@/lib/config";
import { requireDatabase } from "@/lib/database-check";

export default async function AuthLayout({ children }: { children: React.ReactNode }) {
  // Nothing here works without the database: an unreachable one is said at once (app/error.tsx).
  await requireDatabase();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center p-6">
      <p className="mb-6 text-xl font-semibold text-brand-700">{config().appName}</p>
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
    </main>
  );
}
