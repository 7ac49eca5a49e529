/**
 * `npm run bench -- --only audit [--audit-rows 1000000]`: the audit log (O1) at a million
 * rows in one account. Times readAuditLog — what the Audit log page calls — next to the
 * hand-written floor query sent straight to the driver, for the first page, a page deep
 * in the log (keyset), an action filter and free text; then the chain's verification (a
 * valid chain, recomputed to its end), and
 * the peak memory of exporting every row (the streamed CSV export, read to its end).
 */
import { eq, sql } from "drizzle-orm";
import { openDatabase, type Database } from "@/db/client";
import { DEMO, seedDemoIfEmpty } from "@/db/demo";
import { auditPageQuery, auditWhere, parseAuditCursor, verifyAuditChain, type AuditFilter } from "@/db/queries/audit";
import { findMemberPrincipal } from "@/db/queries/principals";
import { users } from "@/db/schema";
import { exportAuditLog } from "@/lib/audit/export";
import { readAuditFeed, readAuditLog } from "@/lib/audit/log";
import { toPrincipal } from "@/lib/auth/principal";
import { measureExport } from "./bench-export";
import { createScratchDatabase } from "./scratch-database";

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const ACTIONS = ["member.invited", "member.disabled", "member.enabled", "member.roles_changed", "password.changed", "two_factor.enabled", "session.ended", "api_key.created", "profile.updated", "unit.member_added"];

/** The floor: the page's rows with actor and target addresses, in one statement, as fast as we know how. */
const floorSql = (where: string) => `
  select e.id, e.created_at, e.actor_id, a.email as actor_email, e.action, e.target_type, e.target_id, t.email as target_email, e.ip, e.user_agent, e.details
  from (select * from audit_events where account_id = $1 ${where} order by created_at desc, id desc limit 51) e
  left join users a on a.id = e.actor_id
  left join users t on e.target_type = 'user' and t.id = e.target_id::uuid
  order by e.created_at desc, e.id desc`;

/** The feed's floor (/api/v1/audit-events): the same, in id order. */
const feedFloorSql = (where: string, direction: "asc" | "desc") => `
  select e.id, e.created_at, e.actor_id, a.email as actor_email, e.action, e.target_type, e.target_id, t.email as target_email, e.ip, e.user_agent, e.details
  from (select * from audit_events where account_id = $1 ${where} order by id ${direction} limit 51) e
  left join users a on a.id = e.actor_id
  left join users t on e.target_type = 'user' and t.id = e.target_id::uuid
  order by e.id ${direction}`;

export async function runAuditBench({ rows, runs }: { rows: number; runs: number }) {
  const scratch = await createScratchDatabase("roster_bench_audit");
  const database: Database = await openDatabase(scratch.target);
  try {
    const { db } = database;
    await seedDemoIfEmpty(db);
    const [adminRow] = await db.select().from(users).where(eq(users.email, DEMO.primary.email));
    const accountId = adminRow.accountId;
    const people = (await db.select({ id: users.id }).from(users).where(eq(users.accountId, accountId))).map((user) => user.id);
    const seeded = Date.now();
    // One loop in the database, chaining each row as recordAudit would (db/queries/audit.ts),
    // so "Verify integrity" below reads a valid chain of a million rows to its end.
    const list = (items: string[], type: string) => `array[${items.map((item) => `'${item}'`).join(",")}]::${type}[]`;
    await database.raw(
      `do $$
       declare
         actors uuid[] := ${list(people, "uuid")};
         actions text[] := ${list(ACTIONS, "text")};
         prev text := coalesce((select last_hash from audit_chain_heads where account_id = '${accountId}'), repeat('0', 64));
         started timestamptz := now();
         v audit_events%rowtype;
       begin
         for i in 1..${rows} loop
           v.id := nextval(pg_get_serial_sequence('audit_events', 'id'));
           v.account_id := '${accountId}';
           v.actor_id := actors[1 + i % cardinality(actors)];
           v.action := actions[1 + (i * 7) % cardinality(actions)];
           v.target_type := 'user';
           v.target_id := actors[1 + (i * 3) % cardinality(actors)]::text;
           v.ip := '203.0.113.' || (i % 250);
           v.user_agent := 'Mozilla/5.0 (bench) ' || (i % 40);
           v.details := jsonb_build_object('n', i, 'email', 'member' || i || '@bench.example.com');
           v.created_at := started - make_interval(secs => (${rows} - i) * 30);
           v.prev_hash := prev;
           v.hash := encode(sha256(convert_to(prev || jsonb_build_array(v.id, v.account_id, v.actor_id, v.action, v.target_type, v.target_id, v.ip, v.user_agent, v.details,
             to_char(v.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, 'UTF8')), 'hex');
           insert into audit_events values (v.*);
           prev := v.hash;
         end loop;
         insert into audit_chain_heads (account_id, last_id, last_hash, anchor_hash) values ('${accountId}', v.id, prev, repeat('0', 64))
           on conflict (account_id) do update set last_id = excluded.last_id, last_hash = excluded.last_hash;
       end $$`,
      [],
    );
    await database.raw("analyze audit_events", []);
    console.log(`Database: ${scratch.where}. Seeded ${rows.toLocaleString("en-GB")} audit rows in ${((Date.now() - seeded) / 1000).toFixed(1)} s; ${runs} runs per case.\n`);

    const admin = toPrincipal((await findMemberPrincipal(db, accountId, adminRow.id))!, { kind: "lookup" });
    // A cursor 90 % of the way down the log.
    const deep = (await database.raw(
      `select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, id from audit_events where account_id = $1 order by created_at desc, id desc offset $2 limit 1`,
      [accountId, Math.floor(rows * 0.9)],
    )) as { at: string; id: number }[];
    const cursor = `${deep[0].at}_${deep[0].id}`;
    type Case = { label: string; filter: AuditFilter; older?: string; floor: { sql: string; params: unknown[] } };
    const cases: Case[] = [
      { label: "page 1", filter: {}, floor: { sql: floorSql(""), params: [accountId] } },
      {
        label: "deep page (90 % down, keyset)",
        filter: {},
        older: cursor,
        floor: { sql: floorSql("and (created_at, id) < ($2::timestamptz, $3)"), params: [accountId, deep[0].at, deep[0].id] },
      },
      { label: "filtered by action", filter: { action: "member.disabled" }, floor: { sql: floorSql("and action = $2"), params: [accountId, "member.disabled"] } },
      { label: "free text 'member4242@'", filter: { q: "member4242@" }, floor: { sql: floorSql("and details::text ilike $2"), params: [accountId, "%member4242@%"] } },
      { label: "filtered by actor", filter: { actor: people[1] }, floor: { sql: floorSql("and actor_id = $2"), params: [accountId, people[1]] } },
      { label: "filtered by target (a member)", filter: { target: people[2] }, floor: { sql: floorSql("and target_type = 'user' and target_id = $2"), params: [accountId, people[2]] } },
      {
        label: "one day (90 % down)",
        filter: { from: deep[0].at.slice(0, 10), to: deep[0].at.slice(0, 10) },
        floor: { sql: floorSql("and created_at >= $2::timestamptz and created_at < $2::timestamptz + interval '1 day'"), params: [accountId, `${deep[0].at.slice(0, 10)}T00:00:00Z`] },
      },
      {
        label: "a member's own trail (did, or was done to)",
        filter: { member: people[3] },
        floor: { sql: floorSql("and (actor_id = $2 or (target_type = 'user' and target_id = $3))"), params: [accountId, people[3], people[3]] },
      },
    ];
    // /api/v1/audit-events: a SIEM following the log forward, and paging back through one action, by id.
    const feedCases = [
      { label: "API feed: following forward from 90 % down", app: () => readAuditFeed(db, admin, {}, { after: Number(deep[0].id) }, 50), floor: { sql: feedFloorSql("and id > $2", "asc"), params: [accountId, deep[0].id] } },
      {
        label: "API feed: back from 90 % down, filtered by action",
        app: () => readAuditFeed(db, admin, { action: "member.disabled" }, { before: Number(deep[0].id) }, 50),
        floor: { sql: feedFloorSql("and action = $2 and id < $3", "desc"), params: [accountId, "member.disabled", deep[0].id] },
      },
    ];
    const feedTimes = feedCases.map(() => ({ app: [] as number[], floor: [] as number[] }));
    const times = cases.map(() => ({ app: [] as number[], floor: [] as number[] }));
    for (let round = 0; round < runs + 2; round++) {
      for (const [i, c] of feedCases.entries()) {
        const floor = () => database.raw(c.floor.sql, c.floor.params);
        for (const [name, run] of round % 2 ? ([["floor", floor], ["app", c.app]] as const) : ([["app", c.app], ["floor", floor]] as const)) {
          const t = process.hrtime.bigint();
          await run();
          if (round >= 2) feedTimes[i][name].push(ms(t));
        }
      }
      for (const [i, c] of cases.entries()) {
        const app = async () => readAuditLog(db, admin, c.filter, { older: c.older });
        const floor = async () => database.raw(c.floor.sql, c.floor.params);
        for (const [name, run] of round % 2 ? ([["floor", floor], ["app", app]] as const) : ([["app", app], ["floor", floor]] as const)) {
          const t = process.hrtime.bigint();
          await run();
          if (round >= 2) times[i][name].push(ms(t));
        }
      }
    }
    const summary: string[] = [];
    for (const [i, c] of cases.entries()) {
      const page = await readAuditLog(db, admin, c.filter, { older: c.older });
      const floorIds = ((await database.raw(c.floor.sql, c.floor.params)) as { id: string | number }[]).slice(0, 50).map((row) => Number(row.id));
      const same = JSON.stringify(floorIds) === JSON.stringify(page.entries.map((entry) => entry.id));
      const [a, f] = [median(times[i].app), median(times[i].floor)];
      summary.push(`| ${c.label} | ${page.entries.length} | ${a.toFixed(1)} | ${f.toFixed(1)} | ${(a / f).toFixed(2)}× |${same ? "" : " ⚠ other rows"}`);
      // The app's own statement, as listAuditEvents sends it.
      const statement = await db.execute(sql`explain (analyze, costs off, timing off, summary off) ${auditPageQuery(await auditWhere(db, admin, c.filter, null), { older: parseAuditCursor(c.older), limit: 51 })}`);
      const plan = (Array.isArray(statement) ? statement : (statement as unknown as { rows: Record<string, string>[] }).rows) as Record<string, string>[];
      console.log(`## ${c.label} (the app's plan)\n${plan.map((row) => `    ${Object.values(row)[0]}`).join("\n")}\n`);
    }

    for (const [i, c] of feedCases.entries()) {
      const page = await c.app();
      const floorIds = ((await database.raw(c.floor.sql, c.floor.params)) as { id: string | number }[]).slice(0, 50).map((row) => Number(row.id));
      const same = JSON.stringify(floorIds) === JSON.stringify(page.entries.map((entry) => entry.id));
      const [a, f] = [median(feedTimes[i].app), median(feedTimes[i].floor)];
      summary.push(`| ${c.label} | ${page.entries.length} | ${a.toFixed(1)} | ${f.toFixed(1)} | ${(a / f).toFixed(2)}× |${same ? "" : " ⚠ other rows"}`);
    }

    const t = process.hrtime.bigint();
    const report = await verifyAuditChain(db, accountId);
    const verifyMs = ms(t);

    const exported = await measureExport(() => exportAuditLog(db, { principal: admin, request: { ip: null, userAgent: "bench" } }, {}, "csv", new Date()));

    console.log(`Summary (${scratch.where}, ${rows.toLocaleString("en-GB")} audit rows, ${runs} runs, ${new Date().toISOString().slice(0, 10)}; times in ms):\n`);
    console.log("| case | rows | app median | floor median | app / floor |");
    console.log("| --- | --- | --- | --- | --- |");
    for (const line of summary) console.log(line);
    console.log(`\nVerify integrity: ${report.rows.toLocaleString("en-GB")} rows in ${(verifyMs / 1000).toFixed(1)} s: ${report.broken ? `⚠ BROKEN at #${report.broken.id}` : "intact"}.`);
    console.log(exported);
  } finally {
    await database.close();
    await scratch.cleanup();
  }
}

