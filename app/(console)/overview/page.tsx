import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { AdoptionChart, SignInsChart } from "@/components/security-overview/charts";
import { AdoptionTable, OverviewCard, PeopleList, SignInsTable } from "@/components/security-overview/overview-cards";
import { can } from "@/lib/auth/principal";
import { requirePermission } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { DEFAULT_DORMANT_DAYS, DORMANT_DAYS_CHOICES, loadSecurityOverview, OVERVIEW_DAYS, STALE_INVITATION_DAYS } from "@/lib/security-overview/overview";

export const metadata: Metadata = { title: "Security overview" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** B4: the account's security at a glance — 2FA adoption, sign-ins, who is past the grace period, who is dormant, open invitations. */
export default async function SecurityOverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePermission("security.overview");
  const asked = Number((await searchParams).dormant);
  const dormantDays = (DORMANT_DAYS_CHOICES as readonly number[]).includes(asked) ? asked : DEFAULT_DORMANT_DAYS;
  const overview = await loadSecurityOverview(await getDb(), user, now(), { dormantDays });
  const linkable = can(user, "members.read");
  const { today, signInTotals, enforcement, pastGrace, dormant, invitations } = overview;

  return (
    <section className="max-w-5xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Security overview</h1>
        <p className="text-sm text-slate-600">The last {OVERVIEW_DAYS} days of the account&apos;s sign-in security. Days are in UTC.</p>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <OverviewCard title="Two-factor adoption" id="adoption-heading">
          <p className="text-sm">
            <strong className="text-2xl font-semibold">{today.percent}%</strong> of active people have two-factor authentication: {today.withTwoFactor} of {today.members}.
          </p>
          <AdoptionChart points={overview.adoption} />
          <AdoptionTable points={overview.adoption} />
        </OverviewCard>
        <OverviewCard title="Sign-ins per day" id="sign-ins-heading">
          <p className="text-sm">
            <strong className="text-2xl font-semibold">{signInTotals.succeeded}</strong> sign-ins and <strong className="text-2xl font-semibold">{signInTotals.failed}</strong>{" "}
            failed sign-ins in the last {OVERVIEW_DAYS} days (API keys not counted).
            {can(user, "activity.read") ? (
              <>
                {" "}
                <Link href="/activity?result=failed" className="text-brand-700 underline">
                  See the failed sign-ins
                </Link>
              </>
            ) : null}
          </p>
          <SignInsChart days={overview.signInDays} />
          <SignInsTable days={overview.signInDays} />
        </OverviewCard>
        <OverviewCard title="Past the two-factor grace period" id="past-grace-heading">
          <p className="text-sm">
            {enforcement.enforced ? (
              enforcement.deadline && enforcement.deadline <= now() ? (
                <>
                  <strong className="text-2xl font-semibold">{pastGrace.count}</strong> active people must set up two-factor authentication before they can work: the grace period
                  ended {enforcement.deadline.toISOString().slice(0, 10)}.
                </>
              ) : (
                <>Two-factor authentication is enforced; the grace period ends {enforcement.deadline?.toISOString().slice(0, 10)}.</>
              )
            ) : (
              <>Two-factor authentication is not enforced, so nobody is past a grace period.</>
            )}
          </p>
          <PeopleList caption="People past the two-factor grace period" people={pastGrace.first} total={pastGrace.count} linkable={linkable} lastColumn="Last active" />
        </OverviewCard>
        <OverviewCard title="Dormant members" id="dormant-heading">
          <form method="get" action="/overview" className="flex flex-wrap items-end gap-2 text-sm">
            <div className="space-y-1">
              <label htmlFor="dormant-days" className="block font-medium text-slate-700">
                Not active for
              </label>
              <select id="dormant-days" name="dormant" defaultValue={String(dormantDays)} className="rounded-md border border-slate-500 bg-white px-3 py-2">
                {DORMANT_DAYS_CHOICES.map((days) => (
                  <option key={days} value={days}>
                    {days} days
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-50">
              Show
            </button>
          </form>
          <p className="text-sm">
            <strong className="text-2xl font-semibold">{dormant.count}</strong> active people have not been active for {dormantDays} days.
          </p>
          <PeopleList caption={`People not active for ${dormantDays} days`} people={dormant.first} total={dormant.count} linkable={linkable} lastColumn="Last active" />
        </OverviewCard>
        <OverviewCard title="Open invitations" id="invitations-heading">
          <dl className="grid grid-cols-[1fr_auto] gap-y-2 text-sm" aria-label="Open invitations">
            <dt>Waiting for an answer</dt>
            <dd className="font-semibold">{invitations.open}</dd>
            <dt>Expired unanswered</dt>
            <dd className="font-semibold">{invitations.expired}</dd>
            <dt>Sent more than {STALE_INVITATION_DAYS} days ago</dt>
            <dd className="font-semibold">{invitations.stale}</dd>
          </dl>
          {linkable ? (
            <Link href="/users?status=invited" className="text-sm text-brand-700 underline">
              See invited people
            </Link>
          ) : null}
        </OverviewCard>
      </div>
    </section>
  );
}
