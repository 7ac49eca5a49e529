/**
 * How a page that failed because the database cannot be reached is told apart on the
 * client. In production Next strips a server error's message and keeps only its `digest`,
 * so the server gives such an error a digest of its own (lib/db-errors.ts
 * DatabaseUnreachableError) and the error pages (app/error.tsx, app/global-error.tsx) read
 * it. Imported by client components: nothing here may touch the server.
 */
export const UNREACHABLE_DIGEST_PREFIX = "ROSTER_DATABASE_UNREACHABLE:";

/** The reference of a database-unreachable error (its log line's), or undefined for any other error. */
export function unreachableReference(error: unknown): string | undefined {
  const digest = error && typeof error === "object" && "digest" in error ? String((error as { digest: unknown }).digest) : "";
  return digest.startsWith(UNREACHABLE_DIGEST_PREFIX) ? digest.slice(UNREACHABLE_DIGEST_PREFIX.length) : undefined;
}

/** Any other server error's reference: Next's digest, which its log line carries too. */
export function errorReference(error: unknown): string | undefined {
  return error && typeof error === "object" && "digest" in error ? String((error as { digest: unknown }).digest) : undefined;
}
