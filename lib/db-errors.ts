import { randomUUID } from "node:crypto";
import { UNREACHABLE_DIGEST_PREFIX } from "@/lib/database-unreachable";
import { noteDatabaseUnreachable } from "@/lib/http/request-outcome.mjs";

/** True for a unique-constraint violation, however the driver (postgres.js, PGlite) and Drizzle wrap it. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

// The server ended the session (57P01 admin shutdown / terminate, 57P02 crash shutdown,
// 57P03 cannot connect now) or the connection failed (class 08); postgres.js's own codes
// for a socket that closed, and the system's for a server that is not there.
const CONNECTION_CODES = new Set(["57P01", "57P02", "57P03", "CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ENOTFOUND", "ETIMEDOUT"]);

/** True when the database went away (not when it refused the statement), however the driver and Drizzle wrap it. */
export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || code.startsWith("08"))) return true;
    for (const inner of (e as { errors?: unknown[] }).errors ?? []) if (isConnectionError(inner)) return true;
  }
  return false;
}

let guarded = false;
let averted = 0;

/**
 * postgres.js 3.4.9 writes a transaction's ROLLBACK to a connection whose backend just died
 * (porsager/postgres#1208) and then throws, from a timer, "Cannot read properties of null
 * (reading 'write')" — which would end the whole console. The query that failed has
 * already been answered with CONNECTION_CLOSED (and the pool is replaced, db/client.ts),
 * so that one error is noted and ignored; any other uncaught error still ends the process.
 */
export function guardAgainstDeadSocketWrites() {
  if (guarded) return;
  guarded = true;
  const onUncaught = (error: unknown) => {
    if (isDeadSocketWrite(error)) {
      averted += 1;
      console.warn("[db] ignored a write to a closed database connection (postgres.js#1208); its transaction had already failed and rolled back");
      return;
    }
    process.off("uncaughtException", onUncaught);
    guarded = false;
    // As if this listener had not been there: with no other, the process ends.
    if (process.listenerCount("uncaughtException") === 0) throw error;
  };
  process.on("uncaughtException", onUncaught);
}

export function isDeadSocketWrite(error: unknown): boolean {
  return error instanceof TypeError && error.message === "Cannot read properties of null (reading 'write')" && /postgres[\\/]src[\\/]connection\.js/.test(error.stack ?? "") && /nextWrite/.test(error.stack ?? "");
}

/** How many such errors this process ignored (tests). */
export const deadSocketWritesAverted = () => averted;

/**
 * A page or action could not run because the database cannot be reached. Its digest
 * (kept by Next in production, where the message is stripped) names it to the error pages,
 * which then say so (components/errors/database-unreachable.tsx); its reference is in the
 * digest and in the log line.
 */
export class DatabaseUnreachableError extends Error {
  readonly digest: string;
  readonly reference: string;
  constructor(cause: unknown) {
    super("The database cannot be reached", { cause });
    this.name = "DatabaseUnreachableError";
    this.reference = randomUUID().slice(0, 8);
    this.digest = `${UNREACHABLE_DIGEST_PREFIX}${this.reference}`;
  }
}

/** A lost or refused database connection becomes a DatabaseUnreachableError (logged once, with its reference); anything else is left as it is. */
export function asUnreachable(error: unknown): unknown {
  if (error instanceof DatabaseUnreachableError || !isConnectionError(error)) return error;
  const unreachable = new DatabaseUnreachableError(error);
  // The page's answer is then 503 with Retry-After (lib/cli/serve.mjs), not Next's 500.
  noteDatabaseUnreachable();
  console.error(`[db] request ${unreachable.reference}: the database cannot be reached`, error);
  return unreachable;
}
