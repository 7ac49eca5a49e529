import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/me/route";
import { GET as listUsers } from "@/app/api/v1/users/route";
import { POST as disable } from "@/app/api/v1/users/[id]/disable/route";
import { randomToken, sha256 } from "@/lib/crypto";
import { migrationsFolder, openDatabase, setDatabaseForTests, type Database } from "./client";
import { apiKeys, users } from "./schema";

// Issue 9, review item 1: a database that already holds keys is brought up to date the
// way a running installation is — everything up to 0008 first, keys made, then the rest.
const LAST_BEFORE_SCOPES = "0008_api_key_scopes_step_up_session";
const workDir = mkdtempSync(path.join(tmpdir(), "roster-migrations-"));

/** The committed migrations, but only up to `lastTag`, in a folder drizzle's migrator reads. */
function migrationsUpTo(lastTag: string): string {
  const folder = path.join(workDir, "migrations");
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = path.join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  expect(last).toBeGreaterThan(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }));
  return folder;
}

type Raw = { query: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>; close: () => Promise<void> };

/** A new, empty database migrated up to `folder`'s last migration, and how to open it fully later. */
async function olderDatabase(folder: string): Promise<{ raw: Raw; reopen: () => Promise<Database>; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const { PGlite } = await import("@electric-sql/pglite");
    const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const dataDir = path.join(workDir, "pglite");
    const client = await PGlite.create(dataDir, { extensions: { pg_trgm } });
    await migrate(drizzle(client), { migrationsFolder: folder });
    return {
      raw: { query: async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows, close: () => client.close() },
      reopen: () => openDatabase({ kind: "pglite", dataDir }),
      drop: async () => {},
    };
  }
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const name = `roster_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await migrate(drizzle(client), { migrationsFolder: folder });
  return {
    raw: { query: (text, params) => client.unsafe(text, params as never[]) as Promise<Record<string, unknown>[]>, close: () => client.end() },
    reopen: () => openDatabase({ kind: "postgres", url: url.toString() }),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

let database: Database;
let drop: () => Promise<void>;
let olderKey: string;
let memberId: string;

beforeAll(async () => {
  const older = await olderDatabase(migrationsUpTo(LAST_BEFORE_SCOPES));
  drop = older.drop;
  // A primary user's key as the code before scopes stored it: no scopes column written.
  const [account] = await older.raw.query(`insert into accounts (name) values ('Acme') returning id`);
  const [owner] = await older.raw.query(`insert into users (account_id, email, name, role, status) values ($1, 'admin@acme.test', 'Ada', 'primary', 'active') returning id`, [account.id]);
  const [member] = await older.raw.query(`insert into users (account_id, email, name, status) values ($1, 'mo@acme.test', 'Mo', 'active') returning id`, [account.id]);
  memberId = String(member.id);
  olderKey = `rst_${randomToken(30)}`;
  await older.raw.query(`insert into api_keys (account_id, user_id, name, prefix, key_hash) values ($1, $2, 'Old script', $3, $4)`, [account.id, owner.id, olderKey.slice(0, 12), sha256(olderKey)]);
  await older.raw.close();

  database = await older.reopen();
  setDatabaseForTests(database);
});

afterAll(async () => {
  setDatabaseForTests(undefined);
  await database?.close();
  await drop?.();
  rmSync(workDir, { recursive: true, force: true });
});

describe(`migration 0009 (${process.env.DATABASE_URL ? "PostgreSQL server" : "embedded PGlite"})`, () => {
  it("makes a key created before scopes existed read-only", async () => {
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.prefix, olderKey.slice(0, 12)));
    expect(row.scopes).toEqual(["profile:read", "members:read"]);

    const call = (path: string, method = "GET") => new Request(`http://roster.test/api/v1${path}`, { method, headers: { authorization: `Bearer ${olderKey}` } });
    const params = { params: Promise.resolve({ id: memberId }) };
    expect((await me(call("/me"), params)).status).toBe(200);
    expect((await listUsers(call("/users"), params)).status).toBe(200);
    const refused = await disable(call(`/users/${memberId}/disable`, "POST"), params);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "insufficient_scope" } });
    const [member] = await database.db.select({ status: users.status }).from(users).where(eq(users.id, memberId));
    expect(member.status).toBe("active");
  });
});
