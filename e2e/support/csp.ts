import type { Page } from "@playwright/test";

/**
 * Collects the Content-Security-Policy violations the browser reports on the console's
 * own pages (an init script listening for `securitypolicyviolation`, and Chromium's
 * console messages for what happens before it can listen). Returns the list to check
 * once the test ran.
 */
export async function watchCsp(page: Page, appOrigin: string): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeBinding("__reportCspViolation", (_source, violation: string) => void violations.push(violation));
  await page.addInitScript((origin) => {
    if (location.origin !== origin) return;
    addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation: (violation: string) => void }).__reportCspViolation;
      void report(`${event.effectiveDirective} blocked ${event.blockedURI || "an inline resource"} on ${event.documentURI} (${event.sourceFile}:${event.lineNumber})`);
    });
  }, appOrigin);
  page.on("console", (message) => {
    const url = message.location().url;
    if (/violates the following Content Security Policy/.test(message.text()) && (!url || url.startsWith(appOrigin))) violations.push(message.text());
  });
  return violations;
}
