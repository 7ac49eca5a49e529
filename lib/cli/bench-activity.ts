/**
 * `npm run bench -- --only activity [--activity-rows 1000000]`: sign-in activity (O2) at a
 * million attempts in one account, by 2,000 members. Times readActivity — what the
 * Activity page calls — next to the hand-written floor query sent straight to the driver
 * (first page, 90 % down by keyset, failed only, a method, one person by ID and by
 * address, one day), and a person's own history; prints the app's plans, then the peak
 * memory of exporting every row as CSV (streamed, read to its end).
 */
import { eq, sql } from "drizzle-orm";
import { addSyntheticMembers } from "@/db/bulk";
import { openDatabase, type Database } from "@/db/client";
import { DEMO, seedDemoIfEmpty } from "@/db/demo";
import { activityPageQuery, activityWhere, parseActivityCursor, type ActivityFilter } from "@/db/queries/activity";
import { findMemberPrincipal } from "@/db/queries/principals";
import { users } from "@/db/schema";
import { exportActivity } from "@/lib/activity/export";
import { readActivity, readOwnSignIns } from "@/lib/activity/log";
import { toPrincipal } from "@/lib/auth/principal";
import { measureExport } from "./bench-export";
import { createScratchDatabase } from "./scratch-database";

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const MEMBERS = 2_000;

/** The floor: the page's rows with the member's name, in one statement, as fast as we know how. */
const floorSql = (where: string) => `
  select a.id, a.created_at, a.user_id, (select u.name from users u where u.id = a.user_id) as name, a.email, a.result, a.method, a.detail, a.ip, a.user_agent
  from (select * from sign_in_attempts where account_id = $1 ${where} order by created_at desc, id desc limit 51) a
  order by a.created_at desc, a.id desc`;

export async function runActivityBench({ rows, runs }: { rows: number; runs: number }) {
  const scratch = await createScratchDatabase("roster_bench_activity");
  const database: Database = await openDatabase(scratch.target);
  try {
    const { db } = database;
    await seedDemoIfEmpty(db);
    const [adminRow] = await db.select().from(users).where(eq(users.email, DEMO.primary.email));
    const accountId = adminRow.accountId;
    await addSyntheticMembers(db, accountId, MEMBERS);
    const seeded = Date.now();
    // One attempt every 30 s back from now, by the account's members in turn: one in six
    // failed (wrong password mostly), methods mixed; every 50th by an address of nobody's.
    await database.raw(
      `with m as (select array_agg(id order by id) as ids, array_agg(email order by id) as emails from users where account_id = $1::uuid)
       insert into sign_in_attempts (account_id, user_id, email, result, method, detail, ip, user_agent, created_at)
       select $1::uuid, case when g % 50 = 0 then null else m.ids[1 + g % cardinality(m.ids)] end,
         case when g % 50 = 0 then 'stranger' || g || '@bench.example.com' else m.emails[1 + g % cardinality(m.ids)] end,
         case when g % 6 = 0 then (array['wrong_password','wrong_password','unknown_user','two_factor_failed','throttled','disabled'])[1 + (g / 6) % 6] else 'success' end,
         (array['password','password','password','passkey','sso','api_key','password'])[1 + g % 7], null,
         '203.0.113.' || (g % 250), 'Mozilla/5.0 (bench) ' || (g % 40), now() - make_interval(secs => ($2::int - g) * 30)
       from generate_series(1, $2::int) g, m`,
      [accountId, rows],
    );
    await database.raw("vacuum analyze sign_in_attempts", []);
    console.log(`Database: ${scratch.where}. Seeded ${rows.toLocaleString("en-GB")} sign-in attempts by ${MEMBERS.toLocaleString("en-GB")} members in ${((Date.now() - seeded) / 1000).toFixed(1)} s; ${runs} runs per case.\n`);

    const admin = toPrincipal((await findMemberPrincipal(db, accountId, adminRow.id))!, { kind: "lookup" });
    const deep = (await database.raw(
      `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, id from sign_in_attempts where account_id = $1 order by created_at desc, id desc offset $2 limit 1`,
      [accountId, Math.floor(rows * 0.9)],
    )) as { at: string; id: number }[];
    const [person] = (await database.raw(`select user_id as id, email from sign_in_attempts where account_id = $1 and user_id is not null limit 1`, [accountId])) as { id: string; email: string }[];
    const [middle] = (await database.raw(`select to_char((min(created_at) + (max(created_at) - min(created_at)) / 2) at time zone 'UTC', 'YYYY-MM-DD') as day from sign_in_attempts`, [])) as { day: string }[];
    const dayFrom = `${middle.day}T00:00:00Z`;
    const dayTo = new Date(Date.parse(dayFrom) + 86_400_000).toISOString();
    type Case = { label: string; filter: ActivityFilter; older?: string; floor: { sql: string; params: unknown[] } };
    const cases: Case[] = [
      { label: "page 1", filter: {}, floor: { sql: floorSql(""), params: [accountId] } },
      {
        label: "deep page (90 % down, keyset)",
        filter: {},
        older: `${deep[0].at}_${deep[0].id}`,
        floor: { sql: floorSql("and (created_at, id) < ($2::timestamptz, $3)"), params: [accountId, deep[0].at, deep[0].id] },
      },
      { label: "failed only", filter: { result: "failed" }, floor: { sql: floorSql("and result <> 'success'"), params: [accountId] } },
      { label: "method passkey", filter: { method: "passkey" }, floor: { sql: floorSql("and method = $2"), params: [accountId, "passkey"] } },
      { label: "failed only + method SSO", filter: { result: "failed", method: "sso" }, floor: { sql: floorSql("and result <> 'success' and method = $2"), params: [accountId, "sso"] } },
      { label: "one person (by ID)", filter: { person: person.id }, floor: { sql: floorSql("and user_id = $2"), params: [accountId, person.id] } },
      { label: "one person (by address)", filter: { person: person.email }, floor: { sql: floorSql("and email = $2"), params: [accountId, person.email] } },
      {
        label: "one day",
        filter: { from: middle.day, to: middle.day },
        floor: { sql: floorSql("and created_at >= $2 and created_at < $3"), params: [accountId, dayFrom, dayTo] },
      },
    ];
    const times = cases.map(() => ({ app: [] as number[], floor: [] as number[] }));
    const own = { app: [] as number[], floor: [] as number[] };
    // The same columns as the page's (the member's name included), from the person's index.
    const ownFloor = `select a.id, a.created_at, a.user_id, (select u.name from users u where u.id = a.user_id) as name, a.email, a.result, a.method, a.detail, a.ip, a.user_agent
      from (select * from sign_in_attempts where user_id = $1 order by created_at desc, id desc limit 11) a order by a.created_at desc, a.id desc`;
    for (let round = 0; round < runs + 2; round++) {
      const jobs = [
        ...cases.map((c, i) => ({ app: () => readActivity(db, admin, c.filter, { older: c.older }), floor: () => database.raw(c.floor.sql, c.floor.params), into: times[i] })),
        { app: () => readOwnSignIns(db, { id: person.id }, 10), floor: () => database.raw(ownFloor, [person.id]), into: own },
      ];
      for (const job of jobs) {
        for (const name of round % 2 ? (["floor", "app"] as const) : (["app", "floor"] as const)) {
          const t = process.hrtime.bigint();
          await job[name]();
          if (round >= 2) job.into[name].push(ms(t));
        }
      }
    }
    const summary: string[] = [];
    for (const [i, c] of cases.entries()) {
      const page = await readActivity(db, admin, c.filter, { older: c.older });
      const floorIds = ((await database.raw(c.floor.sql, c.floor.params)) as { id: string | number }[]).slice(0, 50).map((row) => Number(row.id));
      const same = JSON.stringify(floorIds) === JSON.stringify(page.entries.map((entry) => entry.id));
      const [a, f] = [median(times[i].app), median(times[i].floor)];
      summary.push(`| ${c.label} | ${page.entries.length} | ${a.toFixed(1)} | ${f.toFixed(1)} | ${(a / f).toFixed(2)}× |${same ? "" : " ⚠ other rows"}`);
      const statement = await db.execute(
        sql`explain (analyze, costs off, timing off, summary off) ${activityPageQuery(activityWhere(admin, {}, c.filter), { older: parseActivityCursor(c.older), limit: 51 })}`,
      );
      const plan = (Array.isArray(statement) ? statement : (statement as unknown as { rows: Record<string, string>[] }).rows) as Record<string, string>[];
      console.log(`## ${c.label} (the app's plan)\n${plan.map((row) => `    ${Object.values(row)[0]}`).join("\n")}\n`);
    }
    const [oa, of] = [median(own.app), median(own.floor)];
    summary.push(`| a person's own history (10 newest) | 10 | ${oa.toFixed(1)} | ${of.toFixed(1)} | ${(oa / of).toFixed(2)}× |`);

    const exported = await measureExport(() => exportActivity(db, { principal: admin, request: { ip: null, userAgent: "bench" } }, {}, new Date()));

    console.log(`Summary (${scratch.where}, ${rows.toLocaleString("en-GB")} sign-in attempts, ${runs} runs, ${new Date().toISOString().slice(0, 10)}; times in ms):\n`);
    console.log("| case | rows | app median | floor median | app / floor |");
    console.log("| --- | --- | --- | --- | --- |");
    for (const line of summary) console.log(line);
    console.log(`\n${exported}`);
  } finally {
    await database.close();
    await scratch.cleanup();
  }
}
