import type { Page } from "@playwright/test";

/**
 * B1: Chromium's virtual authenticator (DevTools protocol, WebAuthn domain) on this tab: a
 * platform authenticator with resident keys and user verification that answers at once, as
 * a person touching the fingerprint reader would. Its credentials live as long as the tab.
 */
export async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    /** The credentials it holds, with their signature counts. */
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
  };
}
