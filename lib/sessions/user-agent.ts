import Bowser from "bowser";

/** B2: the browser and operating system a session signed in with, as people read them ("Chrome 140", "macOS"). */
export function describeUserAgent(userAgent: string | null): { browser: string; os: string } {
  // Bowser throws on an empty string; a session without a user agent is simply unknown.
  if (!userAgent?.trim()) return { browser: "Unknown browser", os: "Unknown system" };
  const { browser, os } = Bowser.parse(userAgent);
  const major = browser.version?.split(".")[0];
  return {
    browser: browser.name ? `${browser.name}${major ? ` ${major}` : ""}` : "Unknown browser",
    os: os.name ? `${os.name}${os.versionName ? ` ${os.versionName}` : ""}` : "Unknown system",
  };
}

/**
 * O4: the browser family and system without versions ("Chrome", "macOS"), for recognising a
 * device: a browser updating itself is not a new device.
 */
export function deviceFamily(userAgent: string | null): { browser: string; os: string } {
  if (!userAgent?.trim()) return { browser: "Unknown browser", os: "Unknown system" };
  const { browser, os } = Bowser.parse(userAgent);
  return { browser: browser.name || "Unknown browser", os: os.name || "Unknown system" };
}
