import type { Executor } from "@/db/client";
import { findTwoFactorPolicy } from "@/db/queries/accounts";
import { countMemberFigures, countOpenInvitations, countSignInsPerDay, firstDormant, firstPastTwoFactorGrace, listTwoFactorSnapshots } from "@/db/queries/security-overview";
import type { Principal } from "@/lib/auth/principal";
import { config } from "@/lib/config";
import { dayOf } from "./snapshots";

const DAY_MS = 86_400_000;
export const OVERVIEW_DAYS = 30;
export const DORMANT_DAYS_CHOICES = [30, 60, 90, 180] as const;
export const DEFAULT_DORMANT_DAYS = 90;
/** How many people each list names (the counts are of everyone). */
export const NAMED = 10;
/** Invitations unanswered this long are worth a look (as in access reviews, O3). */
export const STALE_INVITATION_DAYS = 30;

export type DailyPoint = { day: string; withTwoFactor: number; members: number; percent: number };
export type SignInDay = { day: string; succeeded: number; failed: number };

/** Every day from `since` to `at` (UTC), so a day with nothing still shows as a zero. */
function daysFrom(since: Date, at: Date): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${dayOf(since)}T00:00:00Z`); t <= at.getTime(); t += DAY_MS) days.push(dayOf(new Date(t)));
  return days;
}

const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : 0);

/**
 * B4: the security overview of the viewer's account at `at` — every figure aggregated in
 * SQL (a count and a few named people per card), so the page costs the same at 100,000
 * members as at 10. Today's adoption is counted live; the days before come from the
 * daily snapshots (lib/security-overview/snapshots.ts).
 */
export async function loadSecurityOverview(db: Executor, principal: Principal, at: Date, options: { dormantDays: number }) {
  const accountId = principal.accountId;
  const staff = { staffEmailDomain: config().staffEmailDomain };
  const since = new Date(at.getTime() - (OVERVIEW_DAYS - 1) * DAY_MS);
  const policy = await findTwoFactorPolicy(db, accountId);
  const deadline = policy.enforceTwoFactor && policy.twoFactorEnforcedSince ? new Date(policy.twoFactorEnforcedSince.getTime() + policy.twoFactorGraceDays * DAY_MS) : null;
  const grace = { roles: policy.twoFactorRoles, deadlinePassed: Boolean(deadline && deadline <= at) };
  const dormantBefore = new Date(at.getTime() - options.dormantDays * DAY_MS);
  // The member counts in one pass; each named list from a team-table sort index.
  const [figures, snapshots, signIns, pastGraceFirst, dormantFirst, invitations] = await Promise.all([
    countMemberFigures(db, accountId, { grace, dormantBefore }, principal, staff),
    listTwoFactorSnapshots(db, accountId, dayOf(since)),
    countSignInsPerDay(db, accountId, new Date(`${dayOf(since)}T00:00:00Z`), principal, staff),
    firstPastTwoFactorGrace(db, accountId, grace, NAMED, principal, staff),
    firstDormant(db, accountId, dormantBefore, NAMED, principal, staff),
    countOpenInvitations(db, accountId, at, new Date(at.getTime() - STALE_INVITATION_DAYS * DAY_MS), principal, staff),
  ]);
  const today = { members: figures.members, withTwoFactor: figures.withTwoFactor };
  const pastGrace = { count: figures.pastGrace, first: pastGraceFirst };
  const dormant = { count: figures.dormant, first: dormantFirst };
  const byDay = new Map(snapshots.map((row) => [row.day, row]));
  const todayKey = dayOf(at);
  const adoption: DailyPoint[] = daysFrom(since, at).flatMap((day) => {
    const row = day === todayKey ? today : byDay.get(day);
    return row ? [{ day, withTwoFactor: row.withTwoFactor, members: row.members, percent: percent(row.withTwoFactor, row.members) }] : [];
  });
  const signInsByDay = new Map(signIns.map((row) => [row.day, row]));
  const signInDays: SignInDay[] = daysFrom(since, at).map((day) => ({ day, succeeded: signInsByDay.get(day)?.succeeded ?? 0, failed: signInsByDay.get(day)?.failed ?? 0 }));
  return {
    today: { ...today, percent: percent(today.withTwoFactor, today.members) },
    adoption,
    signInDays,
    signInTotals: { succeeded: signIns.reduce((n, row) => n + row.succeeded, 0), failed: signIns.reduce((n, row) => n + row.failed, 0) },
    enforcement: { enforced: policy.enforceTwoFactor, deadline },
    pastGrace,
    dormant,
    invitations,
  };
}

export type SecurityOverview = Awaited<ReturnType<typeof loadSecurityOverview>>;
