import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

/**
 * A digest of everything the database holds, to show that something wrote nothing. Left
 * out: the rate limiter's counters (a refused request counts, on purpose), when an API
 * key was last used, and the sign-in record (O2: a key's use is noted there, at most once a
 * minute, like last_used_at — it is the trail of the request, not something it changed).
 */
export async function fingerprint(db: Executor): Promise<Record<string, string>> {
  const tables: unknown = await db.execute(
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('rate_limits', 'sign_in_attempts', '__drizzle_migrations') order by 1`,
  );
  const rows = rowsOf<{ name: string }>(tables);
  const digest: Record<string, string> = {};
  for (const { name } of rows) {
    const result: unknown = await db.execute(
      sql.raw(`select md5(coalesce(string_agg(r, ',' order by r), '')) as digest from (select (to_jsonb(t) - 'last_used_at')::text as r from "${name}" t) rows`),
    );
    const [row] = rowsOf<{ digest: string }>(result);
    digest[name] = row.digest;
  }
  return digest;
}

/** PGlite answers { rows }, postgres.js the rows themselves. */
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows);
