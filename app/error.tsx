"use client";

import { ErrorNotice } from "@/components/errors/error-notice";

/**
 * Any page (console, sign-in and the others, the root) that failed while rendering: a
 * database that cannot be reached is said so (the server marks that error's digest,
 * lib/db-errors.ts), anything else gets the general apology — never a stack or a blank page.
 */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorNotice error={error} retry={retry} />;
}
