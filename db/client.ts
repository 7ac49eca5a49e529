import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Query functions take either, so they run alone or inside a caller's transaction. */
export type Executor = Db | Tx;

export type DatabaseTarget =
  /** `image`: a `dumpDataDir()` of a database to start from (tests copy one migrated template). */
  | { kind: "pglite"; dataDir?: string; socketPort?: number; image?: Blob }
  | { kind: "postgres"; url: string };

export type Database = {
  db: Db;
  kind: DatabaseTarget["kind"];
  /** The driver itself, for measuring a statement without Drizzle (benchmarks). */
  raw: (text: string, params: unknown[]) => Promise<unknown[]>;
  close: () => Promise<void>;
  /** PGlite only: the whole database as one image, to start copies from (tests). */
  dumpImage?: () => Promise<Blob>;
};

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/** Opens a database and brings its schema up to date (migrations are idempotent). */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === "postgres") {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    const { guardAgainstDeadSocketWrites, isConnectionError } = await import("@/lib/db-errors");
    guardAgainstDeadSocketWrites();
    const connect = () => {
      // A server that cannot be reached is given up on after 10 s (postgres.js waits 30 by
      // default): a page then shows its error instead of hanging, and startup tries again.
      const fresh = postgres(target.url, { max: 10, connect_timeout: 10, onnotice: () => {} });
      // Drizzle sets its type parsers on the client it is given: on every pool alike.
      drizzle(fresh, { schema });
      return fresh;
    };
    let current = connect();
    /**
     * postgres.js 3.4.9 cannot recover a connection whose backend died inside a transaction
     * (pg_terminate_backend, a server restart or failover mid-action; porsager/postgres#1208,
     * #1215): that connection answers the old error, then hangs for good, and the pool
     * slowly fills with dead ones. So after such a failure the pool is replaced by a new one
     * and the old one closed, and the console carries on without a restart
     * (lib/faults/mid-action.test.ts).
     */
    const replacePool = (failed: typeof current) => {
      if (failed !== current) return;
      current = connect();
      void failed.end({ timeout: 5 }).catch(() => {});
    };
    const client = new Proxy(current, {
      get(_target, property) {
        const pool = current;
        if (property === "begin") {
          return (...args: Parameters<typeof pool.begin>) =>
            (pool.begin as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
              if (isConnectionError(error)) replacePool(pool);
              throw error;
            });
        }
        const value = Reflect.get(pool, property);
        return typeof value === "function" ? value.bind(pool) : value;
      },
    });
    const db = drizzle(client, { schema });
    try {
      // Several app instances may start at once: one migrates, the others wait.
      await client.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(7243019)`;
        await migrate(db, { migrationsFolder });
      });
    } catch (error) {
      // Not awaited: ending a pool whose server never answered can wait for ever.
      void current.end({ timeout: 1 }).catch(() => {});
      throw error;
    }
    return {
      db: db as unknown as Db,
      kind: "postgres",
      raw: (text, params) => current.unsafe(text, params as never[]),
      close: () => current.end({ timeout: 5 }),
    };
  }

  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  // PGlite does not create parent folders itself.
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const releaseLock = target.dataDir ? lockDataDir(target.dataDir) : () => {};
  const client = await PGlite.create(target.dataDir ?? "memory://", { extensions: { pg_trgm }, loadDataDir: target.image });
  const db = drizzle(client, { schema });
  try {
    await migrate(db, { migrationsFolder });
  } catch (error) {
    await client.close();
    releaseLock();
    throw error;
  }
  let socket: { stop: () => Promise<void> } | undefined;
  if (target.socketPort) {
    // Lets psql or a test process reach the embedded database while the app holds it.
    const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
    // One connection: PGlite is one session, and pglite-socket interleaves the protocol
    // messages of concurrent connections (the e2e suite runs one worker on PGlite).
    const server = new PGLiteSocketServer({ db: client, port: target.socketPort, host: "127.0.0.1" });
    await server.start();
    socket = server;
  }
  return {
    db: db as unknown as Db,
    kind: "pglite",
    raw: async (text, params) => (await client.query(text, params)).rows,
    dumpImage: () => client.dumpDataDir("none"),
    close: async () => {
      await socket?.stop();
      await client.close();
      releaseLock();
    },
  };
}

/**
 * One PGlite data folder must never be opened by two processes (the console and a seed
 * script, say): the second would corrupt it. A lock file holding the owner's PID stops that.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, "utf8"));
    let alive = false;
    try {
      alive = pid > 0 && pid !== process.pid && process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (alive) throw new Error(`The embedded database ${dataDir} is in use by process ${pid} (the console?). Stop it first.`);
  }
  writeFileSync(lockFile, String(process.pid));
  const release = () => rmSync(lockFile, { force: true });
  process.once("exit", release);
  return release;
}

type Holder = { promise?: Promise<Database>; override?: Database; opened?: Set<() => void> };
const holder: Holder = ((globalThis as { __rosterDb?: Holder }).__rosterDb ??= {});

/**
 * The process-wide database. The promise is memoised, and cleared on failure so one
 * failed open does not poison every later request.
 */
export async function getDatabase(): Promise<Database> {
  if (holder.override) return holder.override;
  if (!holder.promise) {
    const { config } = await import("@/lib/config");
    const { database } = config();
    holder.promise = openDatabase(database).then(
      (opened) => {
        const waiting = [...(holder.opened ?? [])];
        holder.opened?.clear();
        for (const notify of waiting) notify();
        return opened;
      },
      (error) => {
        holder.promise = undefined;
        throw error;
      },
    );
  }
  return holder.promise;
}

/**
 * Resolves the next time the database is opened by anyone (a page's request, say): startup
 * waits on it between attempts, so the console finishes starting as soon as its database
 * is back rather than at the end of its back-off.
 */
export function databaseOpened(): Promise<void> {
  return new Promise((resolve) => (holder.opened ??= new Set()).add(resolve));
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Tests run each file against its own fresh database. */
export function setDatabaseForTests(database: Database | undefined) {
  holder.override = database;
}

/** Tests that open the console's own database from configuration: forget the one opened before. */
export function forgetDatabaseForTests() {
  holder.promise = undefined;
}
