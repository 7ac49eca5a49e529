"use client";

import { Button } from "@/components/ui/button";
import { errorReference, unreachableReference } from "@/lib/database-unreachable";

/**
 * What a person sees when a page could not be shown: for a database that cannot be
 * reached, that it is so, that it recovers by itself and nothing was lost; for anything
 * else, the general apology. Either way a reference (the server log line's) and "Try again".
 */
export function ErrorNotice({ error, retry }: { error: unknown; retry: () => void }) {
  const unreachable = unreachableReference(error);
  const reference = unreachable ?? errorReference(error);
  return (
    <main className="mx-auto max-w-md p-10 text-center">
      <title>{unreachable ? "Database unreachable" : "Something went wrong"}</title>
      {unreachable ? (
        <>
          <h1 className="text-2xl font-semibold">Roster can&apos;t reach its database</h1>
          <p className="mt-2 text-slate-600">
            This page needs the database, which cannot be reached right now. Roster reconnects by itself as soon as it is back, and nothing you did
            was lost: a change that did not finish was not made. Try again in a moment.
          </p>
        </>
      ) : (
        <>
          <h1 className="text-2xl font-semibold">Something went wrong</h1>
          <p className="mt-2 text-slate-600">This did not finish. Try again; if it keeps happening, tell your administrator.</p>
        </>
      )}
      {reference ? <p className="mt-2 text-sm text-slate-500">Reference: {reference}</p> : null}
      <Button type="button" className="mt-6" onClick={() => retry()}>
        Try again
      </Button>
    </main>
  );
}
