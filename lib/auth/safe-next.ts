const FALLBACK = "/account";
const BASE = "http://roster.invalid";

/**
 * Where to send someone after sign-in: only a path on this site. Browsers read "\" as "/"
 * and drop tabs and newlines in URLs, so "/\evil.com" and "/\t/evil.com" mean
 * "//evil.com" — an open redirect that a prefix check alone lets through.
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 2048) return FALLBACK;
  if (!value.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(value)) return FALLBACK;
  const url = new URL(value, BASE);
  if (url.origin !== BASE) return FALLBACK;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments collapse: "/.//evil.example" normalises to "//evil.example". Check the result too.
  return path.startsWith("//") || path.startsWith("/\\") ? FALLBACK : path;
}
