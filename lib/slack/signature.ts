import { createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";

export const SLACK_MAX_AGE_SECONDS = 5 * 60;

/**
 * Slack's request signing: "v0=" + HMAC-SHA256(signing secret, "v0:{timestamp}:{raw body}"),
 * compared in constant time; requests older (or newer) than 5 minutes are refused.
 */
export function verifySlackSignature(input: { rawBody: string; timestamp: string | null; signature: string | null; secret: string; nowSeconds?: number }): boolean {
  const { rawBody, timestamp, signature, secret } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > SLACK_MAX_AGE_SECONDS) return false;
  const expected = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;
  return safeEqual(expected, signature);
}

/** For tests and tools that act as Slack. */
export function signSlackRequest(rawBody: string, secret: string, timestamp = Math.floor(Date.now() / 1000)) {
  return { timestamp: String(timestamp), signature: `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}` };
}
