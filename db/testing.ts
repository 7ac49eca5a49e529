import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { CurrentUser } from "@/lib/auth/session";
import { openDatabase, setDatabaseForTests, type Database } from "./client";
import type { User } from "./schema";

/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default, or a new
 * database on the server named by DATABASE_URL (CI runs the suite both ways). It becomes
 * the process-wide database, so the code under test uses it like the app would.
 */
export async function useFreshDatabase(): Promise<Database & { url?: string }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ kind: "pglite" });
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
  await admin.unsafe(`create database ${name}`);
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
  const { id, accountId, email, name, role, status } = user;
  return {
    id,
    accountId,
    email,
    name,
    role,
    status,
    sessionId: "test-session",
    avatarVersion: null,
    ssoManaged: Boolean(user.ssoSubject),
    accountSsoOnly: false,
    signsInWithPassword: Boolean(user.passwordHash) && !user.ssoSubject,
    twoFactorEnabled: Boolean(user.totpEnabledAt),
    twoFactorGate: { state: "none" },
    ...overrides,
  };
}
