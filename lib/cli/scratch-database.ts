import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { DatabaseTarget } from "@/db/client";

/**
 * A fresh, empty database for a benchmark: a new database on the server named by
 * DATABASE_URL, or a temporary PGlite folder. `env` points a console process at it;
 * `cleanup` drops it. Nothing is opened here (one PGlite folder, one process at a time).
 */
export async function createScratchDatabase(prefix: string): Promise<{ target: DatabaseTarget; env: Record<string, string>; where: string; cleanup: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const name = `${prefix}_${randomBytes(4).toString("hex")}`;
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    return {
      target: { kind: "postgres", url: url.toString() },
      env: { DATABASE_URL: url.toString() },
      where: `PostgreSQL server (database ${name})`,
      cleanup: async () => {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  return {
    target: { kind: "pglite", dataDir: path.join(dir, "pglite") },
    env: { DATA_DIR: dir },
    where: "embedded PGlite (temporary folder)",
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
