import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== "" ? value.trim() : undefined));

const optionalNumber = (schema: z.ZodNumber) =>
  optionalString.transform((value, ctx) => {
    if (value === undefined) return undefined;
    const parsed = schema.safeParse(Number(value));
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: `must be a number (${parsed.error.issues[0]?.message})` });
      return z.NEVER;
    }
    return parsed.data;
  });

const envSchema = z.object({
  APP_NAME: optionalString.transform((v) => v ?? "Roster"),
  APP_URL: optionalString,
  PORT: optionalString,
  DATABASE_URL: optionalString.refine((v) => !v || /^postgres(ql)?:\/\//.test(v), {
    message: "DATABASE_URL must start with postgres:// or postgresql://",
  }),
  DATA_DIR: optionalString.transform((v) => path.resolve(/*turbopackIgnore: true*/ v ?? ".data")),
  PGLITE_SOCKET_PORT: optionalNumber(z.number().int().min(1).max(65535)),
  AUTH_SECRET: optionalString,
  ENCRYPTION_KEY: optionalString,
  RESEND_API_KEY: optionalString,
  RESEND_BASE_URL: optionalString,
  EMAIL_FROM: optionalString,
  STAFF_EMAIL_DOMAIN: optionalString.transform((v) => v?.toLowerCase().replace(/^@/, "")),
  SESSION_MAX_AGE_HOURS: optionalNumber(z.number().positive().max(720)),
  // last_seen_at is recorded at most once a minute, so a shorter limit would end sessions in use.
  SESSION_IDLE_MINUTES: optionalNumber(z.number().int().min(5).max(43200)),
  SEED_DEMO: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_API_URL: optionalString,
  // B5: the DNS server domain verification asks (host:port); the system's resolvers otherwise.
  ROSTER_DNS_SERVER: optionalString,
  // Test-only (lib/clock.ts): a file holding how far to move the console's clock.
  ROSTER_TEST_CLOCK_FILE: optionalString,
});

export type Config = {
  appName: string;
  appUrl: string;
  database: { kind: "pglite"; dataDir: string; socketPort?: number } | { kind: "postgres"; url: string };
  dataDir: string;
  authSecret: string;
  /** 32-byte key for AES-256-GCM (TOTP secrets, email bodies at rest). */
  encryptionKey: Buffer;
  email: { resendApiKey?: string; resendBaseUrl?: string; from: string };
  staffEmailDomain?: string;
  sessionMaxAgeSeconds: number;
  /** A session unused for this long ends on its next request. */
  sessionIdleMinutes: number;
  seedDemo: boolean;
  slack: { signingSecret?: string; botToken?: string; apiUrl?: string };
  /** B5: "host:port" of the DNS server that verifies domains; unset, the system's. */
  dnsServer?: string;
  /** Test-only: the e2e suite moves the console's clock through this file (lib/clock.ts). */
  testClockFile?: string;
};

/**
 * With the embedded database a newcomer configures nothing, so secrets are created once
 * and kept in the (git-ignored) data folder. With a real server they must be given.
 */
function persistentSecret(dataDir: string, name: string, bytes: number): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(bytes).toString("base64");
  writeFileSync(file, value + "\n", { mode: 0o600, flag: "wx" });
  return value;
}

function decodeKey(value: string): Buffer {
  const key = Buffer.from(value, "base64");
  if (key.length !== 32) throw new Error("ENCRYPTION_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)");
  return key;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const embedded = !e.DATABASE_URL;
  const dataDir = e.DATA_DIR;
  const appUrl = (e.APP_URL ?? `http://localhost:${e.PORT ?? "3000"}`).replace(/\/+$/, "");
  // A moved clock ends and extends people's access (A5): only a console that nobody else
  // can reach (its links point at this machine over plain http) may be started with one.
  if (e.ROSTER_TEST_CLOCK_FILE && !isLoopbackHttp(appUrl)) {
    throw new Error("Invalid configuration: ROSTER_TEST_CLOCK_FILE is for the test suite only, and needs APP_URL on http://localhost or 127.0.0.1");
  }

  const secret = (value: string | undefined, name: string, file: string) => {
    if (value) return value;
    if (embedded) return persistentSecret(dataDir, file, 32);
    throw new Error(`${name} is required when DATABASE_URL is set`);
  };

  // Secrets are read on first use, not at load: `next build` renders pages without them.
  let authSecret: string | undefined;
  let encryptionKey: Buffer | undefined;
  return {
    appName: e.APP_NAME,
    // Links in emails come from here, never from the request's Host header.
    appUrl,
    database: embedded
      ? { kind: "pglite", dataDir: path.join(dataDir, "pglite"), socketPort: e.PGLITE_SOCKET_PORT }
      : { kind: "postgres", url: e.DATABASE_URL! },
    dataDir,
    get authSecret() {
      authSecret ??= secret(e.AUTH_SECRET, "AUTH_SECRET", "auth-secret");
      return authSecret;
    },
    get encryptionKey() {
      encryptionKey ??= decodeKey(secret(e.ENCRYPTION_KEY, "ENCRYPTION_KEY", "encryption-key"));
      return encryptionKey;
    },
    email: {
      resendApiKey: e.RESEND_API_KEY,
      resendBaseUrl: e.RESEND_BASE_URL,
      from: e.EMAIL_FROM ?? `${e.APP_NAME} <no-reply@roster.localhost>`,
    },
    staffEmailDomain: e.STAFF_EMAIL_DOMAIN,
    sessionMaxAgeSeconds: Math.round((e.SESSION_MAX_AGE_HOURS ?? 12) * 3600),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES ?? 60,
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === "1" || e.SEED_DEMO === "true" : embedded,
    slack: { signingSecret: e.SLACK_SIGNING_SECRET, botToken: e.SLACK_BOT_TOKEN, apiUrl: e.SLACK_API_URL },
    dnsServer: e.ROSTER_DNS_SERVER,
    testClockFile: e.ROSTER_TEST_CLOCK_FILE,
  };
}

function isLoopbackHttp(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(hostname);
  } catch {
    return false;
  }
}

let cached: Config | undefined;

/** The process-wide configuration, validated on first use. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/** Tests change the environment between cases. */
export function resetConfigForTests() {
  cached = undefined;
}
