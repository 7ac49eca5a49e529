/**
 * `npm run bench`: the team-table query at 100,000 members. Seeds a fresh database (a
 * temporary PGlite, or a new database on the server named by DATABASE_URL), then times
 * listMembers — the function the User Management page and the API call — next to the
 * hand-written floor query (lib/cli/bench-floor.ts) sent straight to the driver, for
 * every sort both ways, deep pages, search and filters; prints both query plans and a
 * summary of ratios (app / floor, each case / the default view's first page).
 *   npm run bench -- --members 100000 --runs 50
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { addSyntheticMembers, addSyntheticUnits, SYNTHETIC_UNIT_LEVELS } from "@/db/bulk";
import { openDatabase, type Database } from "@/db/client";
import { createScratchDatabase } from "./scratch-database";
import { DEMO, seedDemoIfEmpty } from "@/db/demo";
import { buildMemberQueries, listMembers, MEMBER_SORTS, resolvedViewRoots, type MemberQuery, type MemberViewer, type StaffPolicy } from "@/db/queries/members";
import { findMemberPrincipal } from "@/db/queries/principals";
import { findNarrowedRoots } from "@/db/queries/units";
import { insertMembers } from "@/db/queries/users";
import { roleGrants, users } from "@/db/schema";
import { toPrincipal } from "@/lib/auth/principal";
import { runActivityBench } from "./bench-activity";
import { runAuditBench } from "./bench-audit";
import { runOverviewBench } from "./bench-overview";
import { floorStatements, type Statement } from "./bench-floor";

const { values } = parseArgs({ options: { members: { type: "string", default: "100000" }, runs: { type: "string", default: "50" }, only: { type: "string" }, "audit-rows": { type: "string", default: "1000000" }, "activity-rows": { type: "string", default: "1000000" } } });
const members = Number(values.members);
const runs = Number(values.runs);

/**
 * `unit`: A4, the team filtered to a unit of the synthetic tree (its level, 0 the top, and
 * which one) and everything below it. `viewer: "unit admin"`: seen by a Restricted
 * administrator of the first level-1 unit (about a quarter of the members), not the Admin.
 */
type Case = { label: string; query: MemberQuery; staffEmailDomain?: string; unit?: { level: number; index: number }; viewer?: "unit admin" };
/** One time for every case (the clock's time in the app): the same rows each run. */
const benchNow = new Date();
const arrow = (direction: "asc" | "desc") => (direction === "asc" ? "↑" : "↓");
const cases: Case[] = [
  { label: "default view (name ↑), page 1", query: {} },
  { label: "default view, page 50", query: { page: 50 } },
  { label: "default view, page 500", query: { page: 500 } },
  ...MEMBER_SORTS.flatMap((sort) =>
    (["asc", "desc"] as const).flatMap((direction) =>
      sort === "name" && direction === "asc" ? [] : [1, 500].map((page) => ({ label: `sort ${sort} ${arrow(direction)}, page ${page}`, query: { sort, direction, page } })),
    ),
  ),
  // T6: a customer's admin while STAFF_EMAIL_DOMAIN is set (the staff filter reads email).
  { label: "staff hidden, page 1", query: {}, staffEmailDomain: "vendor.example" },
  { label: "staff hidden, page 500", query: { page: 500 }, staffEmailDomain: "vendor.example" },
  { label: "search 'jordan' + status Active (the issue's case)", query: { search: "jordan", status: "active" } },
  { label: "search 'jordan' + status Active, page 50, last active ↓", query: { search: "jordan", status: "active", page: 50, sort: "lastActive", direction: "desc" } },
  { label: "search an email fragment 'member4242'", query: { search: "member4242" } },
  { label: "status Active, page 500", query: { status: "active", page: 500 } },
  { label: "status Disabled, last active ↓", query: { status: "disabled", sort: "lastActive", direction: "desc" } },
  { label: "status Invited + search 'kai', email ↓", query: { status: "invited", search: "kai", sort: "email", direction: "desc" } },
  // A3: the role filter (bulk members: 70 % Member, 10 % each Manager, Developer, Viewer).
  { label: "role Member, page 1", query: { role: "member" } },
  { label: "role Viewer, page 1", query: { role: "viewer" } },
  { label: "role Viewer, page 100", query: { role: "viewer", page: 100 } },
  { label: "role Admin (one holder), page 1", query: { role: "admin" } },
  { label: "role Developer + status Active, last active ↓", query: { role: "developer", status: "active", sort: "lastActive", direction: "desc" } },
  // A5: "Expiring within 30 days" (bulk members: one membership in 40 and one grant in 37 expire within 90 days).
  { label: "expiring within 30 days, page 1", query: { expiring: true, at: benchNow } },
  { label: "expiring within 30 days, page 20, last active ↓", query: { expiring: true, at: benchNow, page: 20, sort: "lastActive", direction: "desc" } },
  { label: "expiring within 30 days + search 'jordan'", query: { expiring: true, at: benchNow, search: "jordan" } },
  // A4: 2,000 units 8 levels deep; the filter covers the unit and everything below it.
  { label: "unit filter, a level-1 unit (a quarter of members), page 1", query: {}, unit: { level: 1, index: 0 } },
  { label: "unit filter, a level-1 unit, page 500", query: { page: 500 }, unit: { level: 1, index: 0 } },
  { label: "unit filter, a level-3 unit, page 1", query: {}, unit: { level: 3, index: 0 } },
  { label: "unit filter, a deepest-level unit, page 1", query: {}, unit: { level: SYNTHETIC_UNIT_LEVELS.length - 1, index: 0 } },
  { label: "unit filter, a level-3 unit + search 'jordan'", query: { search: "jordan" }, unit: { level: 3, index: 0 } },
  { label: "unit admin (Restricted administrator of a level-1 unit), page 1", query: {}, viewer: "unit admin" },
  { label: "unit admin, page 500", query: { page: 500 }, viewer: "unit admin" },
  { label: "unit admin, last active ↓", query: { sort: "lastActive", direction: "desc" }, viewer: "unit admin" },
  { label: "unit admin, search 'jordan' + status Active", query: { search: "jordan", status: "active" }, viewer: "unit admin" },
  { label: "unit admin, unit filter a level-3 unit inside theirs", query: {}, viewer: "unit admin", unit: { level: 3, index: 0 } },
];

/** `--only role`: the cases whose label contains it (the default view, the yardstick, always runs). */
const chosen = values.only ? cases.filter((c, i) => i === 0 || c.label.includes(values.only!)) : cases;

async function openBenchDatabase(): Promise<{ database: Database; cleanup: () => Promise<void>; where: string }> {
  const scratch = await createScratchDatabase("roster_bench");
  const database = await openDatabase(scratch.target);
  return { database, where: scratch.where, cleanup: async () => (await database.close(), await scratch.cleanup()) };
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95) };
}

type Timed = Case & { policy: StaffPolicy; as: MemberViewer; reach?: string[]; app: () => Promise<unknown>; floor: () => Promise<unknown>; appTimes: number[]; floorTimes: number[] };

/** The principal listMembers sees the team as (a member looked up, as a session would load them). */
async function viewerOf(db: Database["db"], user: { id: string; accountId: string }): Promise<MemberViewer> {
  return toPrincipal((await findMemberPrincipal(db, user.accountId, user.id))!, { kind: "lookup" });
}

async function main() {
  // O1: `--only audit` runs the audit log's cases (lib/cli/bench-audit.ts) instead.
  if (values.only === "audit") return runAuditBench({ rows: Number(values["audit-rows"]), runs: Math.min(runs, 20) });
  // O2: `--only activity` runs sign-in activity's cases (lib/cli/bench-activity.ts).
  if (values.only === "activity") return runActivityBench({ rows: Number(values["activity-rows"]), runs: Math.min(runs, 20) });
  // B4: `--only overview` runs the Security overview's cases (lib/cli/bench-overview.ts).
  if (values.only === "overview") return runOverviewBench({ members, rows: Number(values["activity-rows"]), runs: Math.min(runs, 20) });
  const { database, cleanup, where } = await openBenchDatabase();
  try {
    const { db } = database;
    await seedDemoIfEmpty(db);
    const [adminRow] = await db.select().from(users).where(eq(users.email, DEMO.primary.email));
    const seeded = Date.now();
    await addSyntheticMembers(db, adminRow.accountId, members);
    const tree = await addSyntheticUnits(db, adminRow.accountId);
    // A4: a Restricted administrator of one level-1 unit (and a Member of the account).
    const [unitAdminRow] = await insertMembers(db, [{ accountId: adminRow.accountId, email: "unit.admin@bench.example.com", name: "Una Unit", status: "active", roles: ["member"] }]);
    await db.insert(roleGrants).values({ accountId: adminRow.accountId, userId: unitAdminRow.id, roleKey: "restricted_admin", unitId: tree.byLevel[1][0] });
    const admin = await viewerOf(db, adminRow);
    const unitAdmin = await viewerOf(db, unitAdminRow);
    const levels = SYNTHETIC_UNIT_LEVELS.join(", ");
    console.log(
      `Database: ${where}. Seeded ${members.toLocaleString("en-GB")} members and 2,000 units (per level: ${levels}) in ${((Date.now() - seeded) / 1000).toFixed(1)} s; ${runs} runs per case.\n`,
    );

    const timed: Timed[] = [];
    for (const c of chosen) {
      const policy = { staffEmailDomain: c.staffEmailDomain };
      const query = c.unit ? { ...c.query, unit: tree.byLevel[c.unit.level][c.unit.index] } : c.query;
      const as = c.viewer === "unit admin" ? unitAdmin : admin;
      // The floor is handed the subtrees' top units as constants (the unit filter, the unit
      // administrator's unit, or the one inside the other), the fastest way we know.
      const theirs = [tree.byLevel[1][0]];
      const reach = c.viewer === "unit admin" ? (query.unit ? await findNarrowedRoots(db, theirs, query.unit) : theirs) : query.unit ? [query.unit] : undefined;
      const floor = floorStatements(adminRow.accountId, { ...query, unit: undefined }, c.staffEmailDomain, reach);
      timed.push({
        ...c,
        query,
        policy,
        as,
        reach,
        app: () => listMembers(db, as, policy, query),
        floor: () => Promise.all([database.raw(floor.rows.sql, floor.rows.params), database.raw(floor.total.sql, floor.total.params)]),
        appTimes: [],
        floorTimes: [],
      });
    }
    for (const c of timed) for (let i = 0; i < 3; i++) await Promise.all([c.app(), c.floor()]);
    // Round-robin over the cases, app and floor alternating first: a disturbance on the
    // shared machine then lands on every case alike, and the ratios stay fair.
    for (let round = 0; round < runs; round++) {
      for (const c of timed) {
        const app = [c.app, c.appTimes] as const;
        const floor = [c.floor, c.floorTimes] as const;
        for (const [run, times] of round % 2 ? [floor, app] : [app, floor]) {
          const t = process.hrtime.bigint();
          await run();
          times.push(ms(t));
        }
      }
    }

    const baseline = stats(timed[0].appTimes).median;
    const summary: string[] = [];
    for (const c of timed) {
      const result = await listMembers(db, c.as, c.policy, c.query);
      const floor = floorStatements(adminRow.accountId, { ...c.query, unit: undefined }, c.staffEmailDomain, c.reach);
      const floorIds = ((await database.raw(floor.rows.sql, floor.rows.params)) as { id: string }[]).map((row) => row.id);
      const same = JSON.stringify(floorIds) === JSON.stringify(result.rows.map((row) => row.id));
      const a = stats(c.appTimes);
      const f = stats(c.floorTimes);
      console.log(`## ${c.label}: ${result.total.toLocaleString("en-GB")} matches${same ? "" : "  ⚠ THE FLOOR QUERY RETURNS OTHER ROWS"}`);
      console.log(`  listMembers (app):   median ${a.median.toFixed(2)} ms   p95 ${a.p95.toFixed(2)} ms`);
      console.log(`  floor SQL (driver):  median ${f.median.toFixed(2)} ms   p95 ${f.p95.toFixed(2)} ms`);
      console.log(`  app / floor:         median ${(a.median / f.median).toFixed(2)}×   p95 ${(a.p95 / f.p95).toFixed(2)}×`);
      console.log(`  vs default page 1:   median ${(a.median / baseline).toFixed(2)}×`);
      const built = buildMemberQueries(db, c.as, c.policy, c.query, await resolvedViewRoots(db, c.as, c.query));
      await printPlan(database, "rows", built.rows.toSQL());
      await printPlan(database, "count", built.total.toSQL());
      console.log("");
      summary.push(
        `| ${c.label} | ${result.total} | ${a.median.toFixed(1)} | ${a.p95.toFixed(1)} | ${f.median.toFixed(1)} | ${f.p95.toFixed(1)} | ${(a.median / f.median).toFixed(2)}× | ${(a.median / baseline).toFixed(2)}× |`,
      );
    }
    console.log(`Summary (${where}, ${members.toLocaleString("en-GB")} members, ${runs} runs, ${new Date().toISOString().slice(0, 10)}; times in ms):\n`);
    console.log("| case | matches | app median | app p95 | floor median | floor p95 | app / floor | vs default page 1 |");
    console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const line of summary) console.log(line);
  } finally {
    await cleanup();
  }
}

async function printPlan(database: Database, name: string, statement: Statement) {
  const plan = (await database.raw(`explain (analyze, costs off, timing off, summary off) ${statement.sql}`, statement.params)) as Record<string, string>[];
  const lines = plan.map((row) => Object.values(row)[0]);
  const seqScan = lines.some((line) => /Seq Scan on users/.test(line));
  console.log(`  plan (${name})${seqScan ? "  ⚠ SEQUENTIAL SCAN ON users" : ""}:`);
  for (const line of lines) console.log(`    ${line}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
