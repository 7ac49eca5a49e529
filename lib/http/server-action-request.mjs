// Checks a server-action request before Next sees it, so that plainly bad input gets a
// plain answer (403, 413, 400) instead of Next's 500 with a digest and a logged stack.
// Next keeps its own checks behind these; they just no longer meet junk.
import { IncomingMessage } from "node:http";

/**
 * The largest server-action body (next.config.mjs gives Next the same limit). Room for the
 * biggest legitimate one, a 2 MB photo (P5, lib/avatar.ts) with its multipart framing, and
 * for an absurdly long password (e2e: 1 MB) to reach our own "at most 256 characters"
 * message instead of a refusal.
 */
export const SERVER_ACTION_BODY_LIMIT = 3 * 1024 * 1024;

/**
 * A request Next would treat as a server action: a POST to a page with the `Next-Action`
 * header (from the client router), or a multipart form post (a form submitted before the
 * page's scripts ran). Route handlers (/api/*) are not actions and read their own bodies
 * (Slack's signature covers the raw bytes).
 * @param {import("node:http").IncomingMessage} req
 */
export function isServerActionRequest(req) {
  if (req.method !== "POST") return false;
  const path = (req.url ?? "/").split("?")[0];
  if (path.startsWith("/api/") || path.startsWith("/_next/")) return false;
  return Boolean(req.headers["next-action"]) || /^multipart\/form-data/i.test(req.headers["content-type"] ?? "");
}

/**
 * Whether the request comes from a page of the console itself. Like Next's own check, the
 * Origin's host must be the host the request was sent to (X-Forwarded-Host, which
 * lib/client-address.mjs only keeps from a trusted proxy, or Host). A missing or `null`
 * Origin is not taken as same-origin: browsers send one with every POST.
 * @param {import("node:http").IncomingHttpHeaders} headers
 */
export function isSameOrigin(headers) {
  const origin = headers.origin;
  if (!origin || origin === "null") return false;
  let originHost;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const forwardedHost = String(headers["x-forwarded-host"] ?? "").split(",")[0].trim();
  return originHost === (forwardedHost || headers.host);
}

/**
 * Reads the body, up to `limit` bytes. `null` when it is larger (told by Content-Length
 * before reading anything, or found while reading a chunked body).
 * @param {import("node:http").IncomingMessage} req
 * @param {number} limit
 * @returns {Promise<Buffer | null>}
 */
export function readLimitedBody(req, limit) {
  if (Number(req.headers["content-length"] ?? 0) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

/**
 * What is wrong with a server-action body, or null when it is well formed. A fetch action
 * (Next-Action header) carries React's reply encoding: JSON text, or multipart whose part
 * "0" is JSON. A form posted before hydration must at least be valid multipart.
 * @param {import("node:http").IncomingHttpHeaders} headers
 * @param {Buffer} body
 * @returns {Promise<string | null>}
 */
export async function malformedActionBody(headers, body) {
  const contentType = String(headers["content-type"] ?? "");
  const fetchAction = Boolean(headers["next-action"]);
  if (/^multipart\/form-data/i.test(contentType)) {
    let form;
    try {
      form = await new Response(body, { headers: { "content-type": contentType } }).formData();
    } catch {
      return "the multipart body cannot be parsed";
    }
    if (!fetchAction) return null;
    const root = form.get("0");
    return typeof root === "string" && isJson(root) ? null : "the multipart body has no JSON part 0";
  }
  // Next answers URL-encoded action posts itself (404): not an encoding it reads.
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) return null;
  return isJson(body.toString("utf8")) ? null : "the body is not JSON";
}

/** @param {string} text */
function isJson(text) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The same request again with the body already read, for Next to read in its turn.
 * @param {import("node:http").IncomingMessage} req
 * @param {Buffer} body
 */
export function withBody(req, body) {
  const copy = new IncomingMessage(req.socket);
  Object.assign(copy, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    complete: true,
  });
  copy.push(body);
  copy.push(null);
  return copy;
}

// A refused body is read and dropped up to this much, then the connection is cut.
const DRAIN_LIMIT = 16 * SERVER_ACTION_BODY_LIMIT;

/**
 * Answers a refused request in plain text. When the client is still sending (a body too
 * large), the rest is read and dropped so that it sees the answer: closing the connection
 * at once would reset it under the client before it read anything.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {number} status
 * @param {string} message
 */
export function refuse(req, res, status, message) {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end(`${message}\n`);
  let drained = 0;
  req.on("data", (chunk) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
}

/**
 * Checks a server-action request; answers it when it is refused (and returns null), or
 * returns the request for Next, its body ready to be read again.
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @returns {Promise<import("node:http").IncomingMessage | null>}
 */
export async function checkServerActionRequest(req, res) {
  const path = (req.url ?? "/").split("?")[0].slice(0, 200);
  const refused = (status, message, reason) => {
    // One line, no stack: this is bad input, not a fault of ours.
    console.warn(`[http] ${status} for a server action POST to ${path}: ${reason}`);
    refuse(req, res, status, message);
    return null;
  };
  if (!isSameOrigin(req.headers)) return refused(403, "Forbidden: cross-origin request.", `Origin ${String(req.headers.origin ?? "missing").slice(0, 100)}`);
  const body = await readLimitedBody(req, SERVER_ACTION_BODY_LIMIT);
  if (!body) return refused(413, "Payload too large.", `body over ${SERVER_ACTION_BODY_LIMIT} bytes`);
  const malformed = await malformedActionBody(req.headers, body);
  if (malformed) return refused(400, "Bad request: malformed server action body.", malformed);
  return withBody(req, body);
}
