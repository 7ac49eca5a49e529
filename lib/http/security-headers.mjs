// The console's security headers, in one place: proxy.ts sends the per-request
// Content-Security-Policy of pages and route handlers, lib/cli/serve.mjs the fixed headers
// on every response (and a locked-down policy on whatever the proxy does not answer).

/**
 * A fresh, unguessable nonce for one response's scripts and styles.
 * @returns {string}
 */
export function createNonce() {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
}

/** @param {string | undefined} appUrl */
function servedOverHttps(appUrl) {
  return /^https:\/\//i.test(appUrl ?? "");
}

/**
 * The policy of a page (and of any route handler answer, where it costs nothing).
 * - Scripts: only those carrying this response's nonce (Next adds it to its own), and what
 *   they load ('strict-dynamic'); never 'unsafe-inline'.
 * - `<style>` elements: 'self' files (Tailwind's CSS) or the nonce. Style *attributes* are
 *   allowed ('unsafe-inline' in style-src-attr only): React renders the `style` prop as an
 *   attribute on the server (our avatar sizes, input-otp's layout), and an attribute can
 *   neither run script nor hold the selectors CSS-exfiltration needs; loads it could make
 *   (`url(…)`) are still bound by img-src and font-src.
 * - Images: our own (avatars from /api/avatars) and `data:` (the 2FA QR code).
 * - form-action 'self': forms post only here. Browsers also hold a form's redirects to it,
 *   but "Continue with SSO" reaches the identity provider by a navigation the page starts
 *   once the action answered, not by the form's own redirect, so no issuer has to be
 *   listed (e2e/sso.spec.ts). Only that form submitted before the page's scripts ran
 *   would be stopped on its way to the provider; the console needs its scripts anyway.
 * - Nothing may frame the console (frame-ancestors, with X-Frame-Options for old browsers).
 * @param {{ nonce: string; appUrl?: string; development?: boolean }} options
 * @returns {string}
 */
export function contentSecurityPolicy({ nonce, appUrl, development = false }) {
  return [
    "default-src 'none'",
    // React's development build needs eval for its error overlays (never in production).
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // The development server injects styles without a nonce.
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(servedOverHttps(appUrl) ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * For answers that are not pages and did not pass through the proxy (static files, the
 * server's own refusals, errors raised before routing): nothing in them may run or load.
 */
export const LOCKED_DOWN_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Headers every response carries, whatever produced it.
 * HSTS only when the console is served over https (APP_URL): sent over plain http it would
 * be ignored, and on localhost it would pin a developer's machine to https. Without
 * includeSubDomains: the console may live beside other hosts of a domain it does not own.
 * @param {string | undefined} appUrl
 * @returns {Record<string, string>}
 */
export function fixedSecurityHeaders(appUrl) {
  return {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // The console uses none of these; an injected or framed page gets none of them either.
    "Permissions-Policy":
      "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=(), xr-spatial-tracking=()",
    ...(servedOverHttps(appUrl) ? { "Strict-Transport-Security": "max-age=31536000" } : {}),
  };
}
