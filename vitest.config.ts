import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["{lib,db,app,components}/**/*.test.{ts,tsx}"],
    environment: "node",
    // One migrated database, copied for every test file.
    globalSetup: ["db/test-template.ts"],
    // Each file opens its own fresh database (PGlite, or a new database on the server).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      DATA_DIR: ".data/vitest",
      AUTH_SECRET: "vitest-auth-secret-not-for-production",
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
      APP_URL: "http://roster.test",
    },
  },
});
