import { isIPv4, isIPv6 } from "node:net";

/** The request had no address (never the case behind lib/cli/serve.mjs): no network to compare. */
export const UNKNOWN_NETWORK = "unknown";

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  if (!isIPv6(address)) return null;
  let text = address;
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two groups.
  const v4 = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const [a, b, c, d] = v4[1].split(".").map(Number);
    text = `${text.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const part = (s: string | undefined) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  const middle = tail === undefined ? [] : new Array(8 - left.length - right.length).fill(0);
  return [...left, ...middle, ...right];
}

/**
 * O4: the network an address belongs to, coarsely enough that a home or office keeps one
 * name while its router's address moves: an IPv4 /24 ("203.0.113.0/24"), an IPv6 /48 (a
 * site's usual allocation: "2001:db8:1::/48"). An IPv4 address written as IPv6
 * (::ffff:203.0.113.5) counts as the IPv4 one.
 */
export function networkOf(ip: string | null): string {
  const address = ip?.trim().replace(/%.*$/, "") ?? "";
  if (isIPv4(address)) return `${address.split(".").slice(0, 3).join(".")}.0/24`;
  const groups = ipv6Groups(address);
  if (!groups) return UNKNOWN_NETWORK;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return networkOf([groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join("."));
  }
  return `${groups.slice(0, 3).map((g) => g.toString(16)).join(":")}::/48`;
}
