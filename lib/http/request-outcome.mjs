// What a page's render found out that its HTTP status should say, although a server
// component cannot set one: the database could not be reached. The render notes it here
// (lib/db-errors.ts asUnreachable), and lib/cli/serve.mjs, which holds the response, turns
// Next's 500 for such a page into 503 with Retry-After. The store is one per process
// (a global symbol): serve.mjs and Next's bundle of the app load this file separately.
import { AsyncLocalStorage } from "node:async_hooks";

const KEY = Symbol.for("roster.requestOutcome");
/** @type {AsyncLocalStorage<{ databaseUnreachable: boolean }>} */
const storage = (globalThis[KEY] ??= new AsyncLocalStorage());

/** Runs one request's handling with an outcome the render can mark. */
export function withRequestOutcome(outcome, handle) {
  return storage.run(outcome, handle);
}

/** This request failed because the database cannot be reached (a no-op outside serve.mjs). */
export function noteDatabaseUnreachable() {
  const outcome = storage.getStore();
  if (outcome) outcome.databaseUnreachable = true;
}

/** Seconds a client is told to wait before trying again when the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Makes `res` answer 503 with Retry-After instead of the 500 Next sets for a page whose
 * render failed, when that failure was the database being unreachable.
 */
export function answerUnreachableAs503(res, outcome) {
  const writeHead = res.writeHead;
  res.writeHead = function (status, ...rest) {
    if (status === 500 && outcome.databaseUnreachable) {
      status = 503;
      res.setHeader("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
      if (typeof rest[0] === "string") rest = rest.slice(1);
    }
    return writeHead.call(this, status, ...rest);
  };
}
