import { SERVER_ACTION_BODY_LIMIT } from "./lib/http/server-action-request.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and must load from node_modules; the rate limiter imports
  // drizzle-orm dynamically, so both stay outside the server bundle.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "@node-rs/argon2",
    "sharp",
    "rate-limiter-flexible",
    "drizzle-orm",
  ],
  poweredByHeader: false,
  experimental: {
    // Room for a 2 MB photo upload (P5) and for an absurdly long password to reach our
    // own validation (which answers with a clear message). lib/cli/serve.mjs answers
    // larger bodies with a plain 413 before Next reads them; this is Next's own backstop.
    serverActions: { bodySizeLimit: SERVER_ACTION_BODY_LIMIT },
  },
};

export default nextConfig;
