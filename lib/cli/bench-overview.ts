/**
 * `npm run bench -- --only overview [--members 100000] [--activity-rows 1000000]`: the
 * Security overview (B4) at 100,000 members and a million sign-in attempts over 120 days.
 * Times each figure's query — the functions loadSecurityOverview calls — next to a
 * hand-written floor statement sent straight to the driver, then the whole overview.
 */
import { eq } from "drizzle-orm";
import { addSyntheticMembers } from "@/db/bulk";
import { openDatabase, type Database } from "@/db/client";
import { DEMO, seedDemoIfEmpty } from "@/db/demo";
import { findMemberPrincipal } from "@/db/queries/principals";
import { countMemberFigures, countOpenInvitations, countSignInsPerDay, firstDormant, firstPastTwoFactorGrace } from "@/db/queries/security-overview";
import { accounts, users } from "@/db/schema";
import { toPrincipal } from "@/lib/auth/principal";
import { loadSecurityOverview } from "@/lib/security-overview/overview";
import { createScratchDatabase } from "./scratch-database";

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const DAY = 86_400_000;

export async function runOverviewBench({ members, rows, runs }: { members: number; rows: number; runs: number }) {
  const scratch = await createScratchDatabase("roster_bench_overview");
  const database: Database = await openDatabase(scratch.target);
  try {
    const { db } = database;
    await seedDemoIfEmpty(db);
    const [adminRow] = await db.select().from(users).where(eq(users.email, DEMO.primary.email));
    const accountId = adminRow.accountId;
    const seeded = Date.now();
    await addSyntheticMembers(db, accountId, members);
    // One member in three has 2FA; enforcement for everyone ended its grace period a week ago.
    await database.raw(`update users set totp_enabled_at = now() where account_id = $1 and abs(hashtext(email)) % 3 = 0`, [accountId]);
    // One in five last active four months ago: dormant at 90 days.
    await database.raw(`update users set last_active_at = now() - interval '120 days' where account_id = $1 and abs(hashtext(email || 'dormant')) % 5 = 0`, [accountId]);
    await db.update(accounts).set({ enforceTwoFactor: true, twoFactorGraceDays: 7, twoFactorEnforcedSince: new Date(Date.now() - 14 * DAY) }).where(eq(accounts.id, accountId));
    // Invitations for the invited members (bulk: one in seven), some past their expiry.
    await database.raw(
      `insert into invitations (account_id, user_id, email, token_hash, expires_at, created_at)
       select account_id, id, email, md5(id::text) || md5(email), created_at + interval '60 days', created_at from users where account_id = $1 and status = 'invited'`,
      [accountId],
    );
    await database.raw(
      `with m as (select array_agg(id order by id) as ids, array_agg(email order by id) as emails from users where account_id = $1::uuid)
       insert into sign_in_attempts (account_id, user_id, email, result, method, created_at)
       select $1::uuid, m.ids[1 + g % cardinality(m.ids)], m.emails[1 + g % cardinality(m.ids)],
         case when g % 6 = 0 then 'wrong_password' else 'success' end, (array['password','password','passkey','sso','api_key'])[1 + g % 5],
         now() - make_interval(secs => (g::bigint * 120 * 86400 / $2::int)::int)
       from generate_series(1, $2::int) g, m`,
      [accountId, rows],
    );
    await database.raw("vacuum analyze", []);
    console.log(`Database: ${scratch.where}. Seeded ${members.toLocaleString("en-GB")} members and ${rows.toLocaleString("en-GB")} sign-in attempts over 120 days in ${((Date.now() - seeded) / 1000).toFixed(1)} s; ${runs} runs per case.\n`);

    const admin = toPrincipal((await findMemberPrincipal(db, accountId, adminRow.id))!, { kind: "lookup" });
    const at = new Date();
    const since = new Date(Date.parse(`${new Date(at.getTime() - 29 * DAY).toISOString().slice(0, 10)}T00:00:00Z`));
    const dormantBefore = new Date(at.getTime() - 90 * DAY);
    const staleBefore = new Date(at.getTime() - 30 * DAY);
    const twoFactor = `(u.totp_enabled_at is not null or exists (select 1 from passkeys pk where pk.user_id = u.id))`;
    type Case = { label: string; app: () => Promise<unknown>; floor: { sql: string; params: unknown[] } };
    const cases: Case[] = [
      {
        label: "member counts, one pass (active, with 2FA, past the grace period, dormant 90 days)",
        app: () => countMemberFigures(db, accountId, { grace: { roles: null, deadlinePassed: true }, dormantBefore }, admin, {}),
        floor: {
          sql: `select count(*), count(*) filter (where two), count(*) filter (where not two), count(*) filter (where dormant)
                from (select ${twoFactor} as two, (u.last_active_at < $2 or (u.last_active_at is null and u.created_at < $2)) as dormant
                      from users u where account_id = $1 and kind = 'person' and status = 'active') m`,
          params: [accountId, dormantBefore.toISOString()],
        },
      },
      {
        label: "sign-ins per day, 30 days",
        app: () => countSignInsPerDay(db, accountId, since, admin, {}),
        floor: {
          sql: `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD'), count(*) filter (where result = 'success'), count(*) filter (where result <> 'success')
                from sign_in_attempts where account_id = $1 and created_at >= $2 and method <> 'api_key' group by 1 order by 1`,
          params: [accountId, since.toISOString()],
        },
      },
      {
        label: "past the 2FA grace period: the first 10 by name",
        app: () => firstPastTwoFactorGrace(db, accountId, { roles: null, deadlinePassed: true }, 10, admin, {}),
        floor: {
          sql: `select id, name, email, last_active_at from users u where account_id = $1 and kind = 'person' and status = 'active' and not ${twoFactor} order by lower(name), id limit 10`,
          params: [accountId],
        },
      },
      {
        label: "dormant 90 days: the 10 longest",
        app: () => firstDormant(db, accountId, dormantBefore, 10, admin, {}),
        floor: {
          sql: `select id, name, email, last_active_at from users where account_id = $1 and kind = 'person' and status = 'active' and (last_active_at < $2 or (last_active_at is null and created_at < $2)) order by last_active_at asc nulls first, id limit 10`,
          params: [accountId, dormantBefore.toISOString()],
        },
      },
      {
        label: "open invitations (open, expired, older than 30 days)",
        app: () => countOpenInvitations(db, accountId, at, staleBefore, admin, {}),
        floor: {
          sql: `select count(*) filter (where i.expires_at > $2), count(*) filter (where i.expires_at <= $2), count(*) filter (where i.created_at < $3)
                from invitations i join users u on u.id = i.user_id and u.status = 'invited' where i.account_id = $1 and i.accepted_at is null and i.revoked_at is null`,
          params: [accountId, at.toISOString(), staleBefore.toISOString()],
        },
      },
    ];
    const times = cases.map(() => ({ app: [] as number[], floor: [] as number[] }));
    const whole: number[] = [];
    for (let round = 0; round < runs + 2; round++) {
      for (const [i, c] of cases.entries()) {
        const floor = () => database.raw(c.floor.sql, c.floor.params);
        for (const [name, run] of round % 2 ? ([["floor", floor], ["app", c.app]] as const) : ([["app", c.app], ["floor", floor]] as const)) {
          const t = process.hrtime.bigint();
          await run();
          if (round >= 2) times[i][name].push(ms(t));
        }
      }
      const t = process.hrtime.bigint();
      await loadSecurityOverview(db, admin, at, { dormantDays: 90 });
      if (round >= 2) whole.push(ms(t));
    }
    const overview = await loadSecurityOverview(db, admin, at, { dormantDays: 90 });
    console.log(`Summary (${scratch.where}, ${members.toLocaleString("en-GB")} members, ${rows.toLocaleString("en-GB")} sign-in attempts, ${runs} runs, ${at.toISOString().slice(0, 10)}; times in ms):\n`);
    console.log("| case | app median | floor median | app / floor |");
    console.log("| --- | --- | --- | --- |");
    for (const [i, c] of cases.entries()) {
      const [a, f] = [median(times[i].app), median(times[i].floor)];
      console.log(`| ${c.label} | ${a.toFixed(1)} | ${f.toFixed(1)} | ${(a / f).toFixed(2)}× |`);
    }
    console.log(`| the whole overview (loadSecurityOverview, its queries side by side) | ${median(whole).toFixed(1)} | — | — |`);
    console.log(
      `\nFigures: ${overview.today.withTwoFactor.toLocaleString("en-GB")} of ${overview.today.members.toLocaleString("en-GB")} with 2FA; ${overview.signInTotals.succeeded.toLocaleString("en-GB")} sign-ins and ${overview.signInTotals.failed.toLocaleString("en-GB")} failed in 30 days; ${overview.pastGrace.count.toLocaleString("en-GB")} past the grace period; ${overview.dormant.count.toLocaleString("en-GB")} dormant; ${overview.invitations.open} open invitations.`,
    );
  } finally {
    await database.close();
    await scratch.cleanup();
  }
}
