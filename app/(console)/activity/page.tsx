import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { ActivityFilters } from "@/components/activity/activity-filters";
import { ActivityTable } from "@/components/activity/activity-table";
import { activityFilterQuery, describeActivityFilter, parseActivityFilter } from "@/lib/activity/filter";
import { readActivity } from "@/lib/activity/log";
import { requirePermission } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Activity" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** O2: every sign-in attempt in the account a reader may see — filtered, paged by keyset, exportable. */
export default async function ActivityPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePermission("activity.read");
  const params = await searchParams;
  const filter = parseActivityFilter(params);
  const page = await readActivity(await getDb(), user, filter, { older: one(params.older), newer: one(params.newer) });
  const link = (extra: Record<string, string>) => `/activity?${activityFilterQuery(filter, extra)}`;

  return (
    <section className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Activity</h1>
        <p className="text-sm text-slate-600">Every sign-in attempt: with a password, a passkey, single sign-on or an API key, and what came of it. Passwords and codes tried are never kept.</p>
      </div>
      <ActivityFilters filter={filter} />
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <p className="text-slate-600">Filter: {describeActivityFilter(filter)}</p>
        <a href={`/activity/export?${activityFilterQuery(filter)}`} className="text-brand-700 underline" download>
          Export CSV
        </a>
      </div>
      <ActivityTable entries={page.entries} caption="Sign-in attempts, newest first" />
      <KeysetPager label="Activity pages" newer={page.newer} older={page.older} href={link} />
    </section>
  );
}
