/**
 * The nonce of this page's Content-Security-Policy (proxy.ts), for the few libraries that
 * add a <style> element from the browser. Read from the page's own scripts: their `nonce`
 * property keeps the value the attribute hides once parsed, and stays this document's
 * nonce across client-side navigations (whose requests carry other nonces).
 */
export function documentNonce(): string | undefined {
  if (typeof document === "undefined") return undefined;
  return document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce || undefined;
}
