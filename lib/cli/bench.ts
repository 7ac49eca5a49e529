/**
 * `npm run bench`: the team-table query at 100,000 members. Seeds a fresh database (a
 * temporary PGlite, or a new database on the server named by DATABASE_URL), then times
 * listMembers — the function the User Management page calls — next to the raw SQL of
 * the same two statements sent straight to the driver, and prints both query plans.
 *   npm run bench -- --members 100000 --runs 50
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { addSyntheticMembers } from "@/db/bulk";
import { openDatabase, type Database } from "@/db/client";
import { DEMO, seedDemoIfEmpty } from "@/db/demo";
import { buildMemberQueries, listMembers, type MemberQuery } from "@/db/queries/members";
import { users } from "@/db/schema";

const { values } = parseArgs({ options: { members: { type: "string", default: "100000" }, runs: { type: "string", default: "50" } } });
const members = Number(values.members);
const runs = Number(values.runs);

const cases: { label: string; query: MemberQuery }[] = [
  { label: "search 'jordan' + status Active (the issue's case)", query: { search: "jordan", status: "active" } },
  { label: "search an email fragment 'member4242'", query: { search: "member4242" } },
  { label: "status Disabled, sorted by last active", query: { status: "disabled", sort: "lastActive", direction: "desc" } },
];

async function openBenchDatabase(): Promise<{ database: Database; cleanup: () => Promise<void>; where: string }> {
  if (process.env.DATABASE_URL) {
    const name = `roster_bench_${randomBytes(4).toString("hex")}`;
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    const database = await openDatabase({ kind: "postgres", url: url.toString() });
    return {
      database,
      where: `PostgreSQL server (database ${name})`,
      cleanup: async () => {
        await database.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "roster-bench-"));
  const database = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") });
  return { database, where: "embedded PGlite (temporary folder)", cleanup: async () => (await database.close(), rmSync(dir, { recursive: true, force: true })) };
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95) };
}

async function main() {
  const { database, cleanup, where } = await openBenchDatabase();
  try {
    const { db } = database;
    await seedDemoIfEmpty(db);
    const [admin] = await db.select().from(users).where(eq(users.email, DEMO.primary.email));
    const seeded = Date.now();
    await addSyntheticMembers(db, admin.accountId, members);
    console.log(`Database: ${where}. Seeded ${members.toLocaleString("en-GB")} members in ${((Date.now() - seeded) / 1000).toFixed(1)} s; ${runs} runs per case.\n`);
    const policy = { staffEmailDomain: undefined };

    for (const { label, query } of cases) {
      const built = buildMemberQueries(db, admin, policy, query);
      const statements = [built.rows.toSQL(), built.total.toSQL()];
      const viaApp = () => listMembers(db, admin, policy, query);
      const viaDriver = () => Promise.all(statements.map((s) => database.raw(s.sql, s.params)));

      for (let i = 0; i < 5; i++) await Promise.all([viaApp(), viaDriver()]);
      const app: number[] = [];
      const raw: number[] = [];
      for (let i = 0; i < runs; i++) {
        let t = process.hrtime.bigint();
        await viaApp();
        app.push(ms(t));
        t = process.hrtime.bigint();
        await viaDriver();
        raw.push(ms(t));
      }
      const result = await viaApp();
      const a = stats(app);
      const r = stats(raw);
      console.log(`## ${label}: ${result.total.toLocaleString("en-GB")} matches`);
      console.log(`  listMembers (app):  median ${a.median.toFixed(2)} ms   p95 ${a.p95.toFixed(2)} ms`);
      console.log(`  raw SQL (driver):   median ${r.median.toFixed(2)} ms   p95 ${r.p95.toFixed(2)} ms`);
      console.log(`  ratio app/raw:      median ${(a.median / r.median).toFixed(2)}×   p95 ${(a.p95 / r.p95).toFixed(2)}×`);
      for (const [name, statement] of [["rows", statements[0]], ["count", statements[1]]] as const) {
        const plan = (await database.raw(`explain (analyze, costs off, timing off, summary off) ${statement.sql}`, statement.params)) as Record<string, string>[];
        const lines = plan.map((row) => Object.values(row)[0]);
        const seqScan = lines.some((line) => /Seq Scan on users/.test(line));
        console.log(`  plan (${name})${seqScan ? "  ⚠ SEQUENTIAL SCAN ON users" : ""}:`);
        for (const line of lines) console.log(`    ${line}`);
      }
      console.log("");
    }
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
