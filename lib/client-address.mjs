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

// Headers that only repeat the client's address: X-Forwarded-For already carries the trusted one.
const CLIENT_ADDRESS_HEADERS = ["true-client-ip", "cf-connecting-ip", "fastly-client-ip", "x-client-ip", "x-cluster-client-ip", "x-original-forwarded-for"];

/**
 * The entry the outermost trusted proxy wrote: proxies append to these lists (or set them,
 * leaving one entry), so of `hops` trusted proxies the first one's entry is `hops` from the end.
 * @param {string[]} entries
 * @param {number} hops
 */
function trustedEntry(entries, hops) {
  return entries[Math.max(0, entries.length - hops)];
}

/** RFC 7239 `Forwarded` elements, split on commas outside quoted strings. */
function forwardedElements(value) {
  return (value.match(/(?:[^",]|"(?:[^"\\]|\\.)*")+/g) ?? []).map((element) => element.trim()).filter(Boolean);
}

/**
 * Makes the request's forwarding headers say only what trusted proxies said (in place).
 * With no trusted proxy (`hops` 0) every one the client sent is removed — Next then takes
 * host, protocol and port from the connection itself; behind `hops` proxies each keeps the
 * value the outermost trusted proxy gave. X-Forwarded-For and X-Real-IP become the client's
 * address as clientAddress() finds it. Without this, a client's own X-Forwarded-Host
 * passes Next's Origin check for server actions, and next-auth builds URLs from it.
 * @param {import("node:http").IncomingHttpHeaders} headers
 * @param {string | undefined} socketAddress
 * @param {number} hops
 */
export function trustForwardedHeaders(headers, socketAddress, hops) {
  const forwardedFor = hops > 0 ? headers["x-forwarded-for"] : undefined;
  const address = clientAddress(Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor, socketAddress, hops);
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    const text = Array.isArray(value) ? value.join(",") : String(value ?? "");
    const entries = name === "forwarded" ? forwardedElements(text) : text.split(",").map((entry) => entry.trim()).filter(Boolean);
    const listed = name === "forwarded" || (name.startsWith("x-forwarded-") && name !== "x-forwarded-for");
    if (listed && hops > 0 && entries.length > 0) headers[name] = trustedEntry(entries, hops);
    else if (listed || CLIENT_ADDRESS_HEADERS.includes(name)) delete headers[name];
  }
  headers["x-forwarded-for"] = address;
  headers["x-real-ip"] = address;
  return headers;
}
