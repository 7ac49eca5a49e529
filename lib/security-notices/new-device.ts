import type { Executor } from "@/db/client";
import { findSeenDevicesSince, hasSeenAnyDevice, recordSeenDevice } from "@/db/queries/security-notices";
import type { RequestContext } from "@/lib/request";
import { describeUserAgent, deviceFamily } from "@/lib/sessions/user-agent";
import { networkOf, UNKNOWN_NETWORK } from "./network";
import { sendSecurityNotice } from "./notices";

export const DEVICE_MEMORY_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * O4: called for every sign-in that opens a session (password, second step, SSO,
 * accepting an invitation), in its transaction. The sign-in is from a new device when
 * its browser family and system, or its network, was not seen in the last 90 days; the
 * person is then emailed — except on their very first sign-in (there is nothing to
 * compare with). `now` is the clock (tests move it).
 */
export async function noteSignInDevice(tx: Executor, user: { id: string }, context: RequestContext, now = new Date()): Promise<{ newDevice: boolean }> {
  const { browser, os } = deviceFamily(context.userAgent);
  const network = networkOf(context.ip);
  const recent = await findSeenDevicesSince(tx, user.id, new Date(now.getTime() - DEVICE_MEMORY_DAYS * DAY_MS));
  const hadHistory = recent.length > 0 || (await hasSeenAnyDevice(tx, user.id));
  const browserSeen = recent.some((device) => device.browser === browser && device.os === os);
  // Without an address there is no network to call new.
  const networkSeen = network === UNKNOWN_NETWORK || recent.some((device) => device.network === network);
  await recordSeenDevice(tx, { userId: user.id, browser, os, network, at: now });
  const newDevice = hadHistory && (!browserSeen || !networkSeen);
  if (newDevice) await sendSecurityNotice(tx, user, "new-device", { ...describeUserAgent(context.userAgent), ip: context.ip, at: now });
  return { newDevice };
}
