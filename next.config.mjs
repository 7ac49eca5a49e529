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
    // own validation (which answers with a clear message) instead of a 413 crash page.
    serverActions: { bodySizeLimit: "3mb" },
  },
};

export default nextConfig;
