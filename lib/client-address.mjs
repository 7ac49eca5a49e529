/**
 * The client's address as the nearest trusted hop saw it. `forwardedFor` is the
 * X-Forwarded-For chain (each proxy appends the address it was called from); entries left
 * of the last `hops` ones are the client's own claims and are never believed.
 * @param {string | undefined} forwardedFor
 * @param {string | undefined} socketAddress
 * @param {number} hops
 * @returns {string}
 */
export function clientAddress(forwardedFor, socketAddress, hops) {
  const chain = [...String(forwardedFor ?? "").split(",").map((entry) => entry.trim()).filter(Boolean), socketAddress ?? ""];
  return chain[Math.max(0, chain.length - 1 - hops)];
}
