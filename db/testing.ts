import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import postgres from "postgres";
import type { CurrentUser } from "@/lib/auth/session";
import { toPrincipal } from "@/lib/auth/principal";
import { openDatabase, setDatabaseForTests, type Database } from "./client";
import type { User } from "./schema";

/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default, or a new
 * database on the server named by DATABASE_URL (CI runs the suite both ways). It becomes
 * the process-wide database, so the code under test uses it like the app would.
 */
export async function useFreshDatabase(options: { fromEmpty?: boolean } = {}): Promise<Database & { url?: string }> {
  const serverUrl = process.env.DATABASE_URL;
  // A copy of the migrated template (db/test-template.ts), unless the test is about migrating.
  const template = options.fromEmpty ? undefined : inject("databaseTemplate");
  if (!serverUrl) {
    const image = template?.kind === "pglite" ? new Blob([readFileSync(template.imageFile)]) : undefined;
    const database = await openDatabase({ kind: "pglite", image });
    setDatabaseForTests(database);
    return {
      ...database,
      close: async () => {
        setDatabaseForTests(undefined);
        await database.close();
      },
    };
  }
  const name = `roster_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(template?.kind === "postgres" ? `create database ${name} template ${template.name}` : `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: "postgres", url: url.toString() });
  setDatabaseForTests(database);
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      setDatabaseForTests(undefined);
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** The signed-in user as lib/auth/session would load it, for tests that say who is calling. */
export function currentUserOf(user: User, overrides: Partial<CurrentUser> = {}): CurrentUser {
  const sessionId = overrides.sessionId ?? "test-session";
  const principal = toPrincipal(
    {
      user,
      totpEnabled: Boolean(user.totpEnabledAt),
      ssoManaged: Boolean(user.ssoSubject),
      hasPassword: Boolean(user.passwordHash),
      avatarUpdatedAt: null,
      accountSsoOnly: false,
      policy: { enforceTwoFactor: false, twoFactorScope: "everyone", twoFactorGraceDays: 0, twoFactorEnforcedSince: null },
    },
    { kind: "session", sessionId },
  );
  return { ...principal, via: { kind: "session", sessionId }, sessionId, ...overrides };
}
