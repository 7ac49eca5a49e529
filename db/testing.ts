import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import postgres from "postgres";
import type { CurrentUser } from "@/lib/auth/session";
import { isStaffAddress, toPrincipal } from "@/lib/auth/principal";
import { PERMISSION_NAMES } from "@/lib/auth/permissions";
import { openDatabase, setDatabaseForTests, type Database } from "./client";
import type { User } from "./schema";
import type { GrantRef } from "./queries/users";

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
export function currentUserOf(user: User & { roles?: readonly GrantRef[] }, overrides: Partial<CurrentUser> = {}): CurrentUser {
  const sessionId = overrides.sessionId ?? "test-session";
  // The roles insertMembers gave (predefined ones; a test of custom roles loads the principal from the database).
  const roles = (user.roles ?? []).map((ref) => ({ key: typeof ref === "string" ? ref : ref.key, custom: false, name: null, permissions: null }));
  const principal = toPrincipal(
    {
      user,
      roles,
      totpEnabled: Boolean(user.totpEnabledAt),
      hasPasskeys: false,
      ssoManaged: Boolean(user.ssoSubject),
      hasPassword: Boolean(user.passwordHash),
      avatarUpdatedAt: null,
      accountSsoOnly: false,
      policy: { enforceTwoFactor: false, twoFactorRoles: null, twoFactorGraceDays: 0, twoFactorEnforcedSince: null },
      accessExpiresAt: user.accessExpiresAt ?? null,
      accessExpired: false,
    },
    { kind: "session", sessionId },
  );
  const email = overrides.email ?? user.email;
  // A test that says "2FA on" means the authenticator app, as it did before passkeys (B1).
  if (overrides.twoFactorEnabled !== undefined && overrides.totpEnabled === undefined) overrides = { ...overrides, totpEnabled: overrides.twoFactorEnabled };
  return { ...principal, via: { kind: "session", sessionId }, sessionId, isStaff: isStaffAddress(email), ...overrides };
}

/** Someone who sees the whole account's team (an Admin, as far as listing members goes), for query tests. */
export function wholeAccountViewer(viewer: { accountId: string; email: string }) {
  return { accountId: viewer.accountId, email: viewer.email, permissions: new Set(PERMISSION_NAMES), unitPermissions: new Map() };
}

/** The signed-in user as lib/auth/session loads them — roles on units (A4) and custom roles included — for tests of those. */
export async function principalFromDatabase(db: Database["db"], user: { id: string; accountId: string }, sessionId = "test-session"): Promise<CurrentUser> {
  const { findMemberPrincipal } = await import("./queries/principals");
  const row = await findMemberPrincipal(db, user.accountId, user.id);
  if (!row) throw new Error(`No member ${user.id}`);
  return { ...toPrincipal(row, { kind: "session", sessionId }), via: { kind: "session", sessionId }, sessionId };
}
