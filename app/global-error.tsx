"use client";

import "./globals.css";
import { Button } from "@/components/ui/button";

/**
 * The console's own last-resort error page (an error no page handled, or the root layout
 * failed). It replaces Next's built-in one, which styles itself with an inline <style>
 * element that the Content-Security-Policy refuses (it carries no nonce).
 */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  // Errors from the server arrive with only a digest, the reference to its log line.
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : undefined;
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <title>Something went wrong</title>
        <main className="mx-auto max-w-md p-10 text-center">
          <h1 className="text-2xl font-semibold">Something went wrong</h1>
          <p className="mt-2 text-slate-600">
            This did not finish. Try again; if it keeps happening, tell your administrator{digest ? ` (reference ${digest})` : ""}.
          </p>
          <Button type="button" className="mt-6" onClick={() => retry()}>
            Try again
          </Button>
        </main>
      </body>
    </html>
  );
}
