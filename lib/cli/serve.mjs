#!/usr/bin/env node
// Serves the built console: Next's own request handler behind a plain Node HTTP server,
// so that the server — not the client — says who the client is. `next start` keeps an
// X-Forwarded-For header the client sent, and the app would throttle and audit whatever
// address an attacker typed; here the header is replaced by the socket's address, or by
// the hop that TRUSTED_PROXY_HOPS reverse proxies in front of the console reported.
import { createServer } from "node:http";
import { clientAddress } from "../client-address.mjs";

process.env.NODE_ENV = "production";
const { default: next } = await import("next");

const port = Number(process.env.PORT ?? 3000);
const trustedHops = Math.max(0, Number.parseInt(process.env.TRUSTED_PROXY_HOPS ?? "0", 10) || 0);

const app = next({ dev: false, dir: process.cwd(), hostname: "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  const forwarded = trustedHops > 0 ? req.headers["x-forwarded-for"] : undefined;
  req.headers["x-forwarded-for"] = clientAddress(Array.isArray(forwarded) ? forwarded.join(",") : forwarded, req.socket.remoteAddress, trustedHops);
  delete req.headers["x-real-ip"];
  handle(req, res);
});
server.listen(port, () => console.log(`Roster is serving on http://localhost:${port}`));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    server.close();
    void app.close().finally(() => process.exit(0));
  });
}
