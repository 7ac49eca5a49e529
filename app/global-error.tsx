"use client";

import "./globals.css";
import { ErrorNotice } from "@/components/errors/error-notice";

/**
 * The console's own last-resort error page (an error no page handled, or the root layout
 * failed). It replaces Next's built-in one, which styles itself with an inline <style>
 * element that the Content-Security-Policy refuses (it carries no nonce).
 */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <ErrorNotice error={error} retry={retry} />
      </body>
    </html>
  );
}
