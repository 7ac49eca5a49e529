#!/usr/bin/env node
// Serves the built console: Next's own request handler behind a plain Node HTTP server,
// so that the server — not the client — says who the client is. `next start` keeps the
// X-Forwarded-* headers a client sent: the app would throttle and audit whatever address
// an attacker typed, and a forged X-Forwarded-Host gets a cross-site server action past
// Next's Origin check. Here they say only what the TRUSTED_PROXY_HOPS reverse proxies in
// front of the console reported (lib/client-address.mjs).
//
// Every response leaves through here, so this is also where the fixed security headers
// are set: static files, Next's own error pages and this server's refusals get them too,
// which next.config.mjs `headers()` would not promise for the last. The per-request
// Content-Security-Policy of pages comes from proxy.ts (it needs a nonce Next can read);
// anything the proxy does not answer keeps the locked-down policy set here.
import { createServer } from "node:http";
import { trustForwardedHeaders } from "../client-address.mjs";
import { checkServerActionRequest, isServerActionRequest } from "../http/server-action-request.mjs";
import { fixedSecurityHeaders, LOCKED_DOWN_POLICY } from "../http/security-headers.mjs";
import { answerUnreachableAs503, withRequestOutcome } from "../http/request-outcome.mjs";

process.env.NODE_ENV = "production";
const { default: next } = await import("next");

const port = Number(process.env.PORT ?? 3000);
const trustedHops = Math.max(0, Number.parseInt(process.env.TRUSTED_PROXY_HOPS ?? "0", 10) || 0);
const securityHeaders = { ...fixedSecurityHeaders(process.env.APP_URL), "Content-Security-Policy": LOCKED_DOWN_POLICY };

const app = next({ dev: false, dir: process.cwd(), hostname: "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

async function serve(req, res) {
  trustForwardedHeaders(req.headers, req.socket.remoteAddress, trustedHops);
  for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
  // Oversized, malformed or cross-origin server-action posts are answered here, plainly.
  const request = isServerActionRequest(req) ? await checkServerActionRequest(req, res) : req;
  if (!request) return;
  // A page that failed because the database cannot be reached answers 503, not 500 (lib/http/request-outcome.mjs).
  const outcome = { databaseUnreachable: false };
  answerUnreachableAs503(res, outcome);
  await withRequestOutcome(outcome, () => handle(request, res));
}

const server = createServer((req, res) => {
  serve(req, res).catch((error) => {
    console.error("[http] request failed", error);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
server.listen(port, () => console.log(`Roster is serving on http://localhost:${port}`));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    server.close();
    void app.close().finally(() => process.exit(0));
  });
}
