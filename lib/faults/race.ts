import postgres from "postgres";

/**
 * Starts `operations` at the same moment against one database, as two admins' requests
 * would. On a PostgreSQL server (`url`), a third connection first holds row locks on what
 * they touch (`gate`), so every operation is running and waiting inside its own transaction
 * before any may go on — their transactions really overlap, whatever the scheduler does.
 * PGlite is one session that runs transactions one after another: there the operations
 * simply start together.
 */
export async function race<T>(url: string | undefined, gate: string, operations: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
  if (!url) return Promise.allSettled(operations.map((operation) => operation()));
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    let settled: Promise<PromiseSettledResult<T>[]> | undefined;
    await sql.begin(async (tx) => {
      await tx.unsafe(gate);
      const [{ pid }] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
      settled = Promise.allSettled(operations.map((operation) => operation()));
      // Until every operation waits on a lock the gate holds (directly or behind another one).
      for (;;) {
        const [{ waiting }] = await tx<{ waiting: number }[]>`
          select count(*)::int as waiting from pg_stat_activity
          where datname = current_database() and pid <> ${pid} and wait_event_type = 'Lock'`;
        if (waiting >= operations.length) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    return await settled!;
  } finally {
    await sql.end();
  }
}
