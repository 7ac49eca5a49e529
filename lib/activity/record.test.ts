import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { useFreshDatabase } from "@/db/testing";
import { insertMembers } from "@/db/queries/users";
import { accounts, apiKeys, identityProviders, signInAttempts, users, verifiedDomains, type IdentityProvider, type User } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { createSignInGrant } from "@/lib/auth/sign-in-grants";
import { sha256 } from "@/lib/crypto";

// The second step reads its cookie and opens the session through next-auth: both stand-ins.
const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: (name: string) => (jar.has(name) ? { value: jar.get(name) } : undefined), set: () => {}, delete: () => {} }),
  headers: async () => new Headers(),
}));
vi.mock("@/lib/auth/next-auth", () => ({ signIn: async () => {} }));
vi.mock("@/lib/request", () => ({ requestContext: async () => ({ ip: "203.0.113.9", userAgent: "vitest" }), contextFromHeaders: () => ({ ip: null, userAgent: null }) }));

const { checkPassword } = await import("@/lib/auth/credentials");
const { verifySecondFactorAction } = await import("@/app/(auth)/sign-in/verify/actions");
const { SECOND_FACTOR_COOKIE } = await import("@/lib/auth/complete-sign-in");
const { openSessionWithGrant } = await import("@/lib/sessions/open-session");
const { signInWithSso } = await import("@/lib/sso/sign-in");
const { authenticateApiKey } = await import("@/lib/api-keys");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let accountId: string;
const PASSWORD = "Correct-Horse-9!";
const WRONG = "Wrong-Horse-Battery-7!";
const context = (ip: string) => ({ ip, userAgent: "vitest" });
const people: Record<string, User> = {};

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Activity" }).returning();
  accountId = account.id;
  const passwordHash = await hashPassword(PASSWORD);
  const rows = await insertMembers(database.db, [
    { accountId, email: "ada@example.test", status: "active", passwordHash, roles: ["admin"] },
    { accountId, email: "dan@example.test", status: "disabled", passwordHash },
    { accountId, email: "ivy@example.test", status: "invited", passwordHash },
    { accountId, email: "eve@example.test", status: "active", passwordHash, accessExpiresAt: new Date(Date.now() - 60_000) },
    { accountId, email: "rex@example.test", status: "active", passwordHash, passwordResetRequiredAt: new Date() },
    { accountId, email: "tom@example.test", status: "active", passwordHash, totpEnabledAt: new Date(), totpSecretEncrypted: null },
  ]);
  for (const row of rows) people[row.email.split("@")[0]] = row;
});

afterAll(() => database.close());
beforeEach(() => jar.clear());

const attemptsOf = (email: string) => database.db.select().from(signInAttempts).where(eq(signInAttempts.email, email)).orderBy(asc(signInAttempts.id));

describe("O2: password sign-in attempts", () => {
  it("records each refusal with its own reason, though the person is told the same thing", async () => {
    const cases = [
      { email: " Nobody@Example.test ", password: PASSWORD, stored: "nobody@example.test", result: "unknown_user", user: null },
      { email: "ada@example.test", password: WRONG, stored: "ada@example.test", result: "wrong_password", user: "ada" },
      { email: "DAN@example.test", password: PASSWORD, stored: "dan@example.test", result: "disabled", user: "dan" },
      { email: "ivy@example.test", password: PASSWORD, stored: "ivy@example.test", result: "invited", user: "ivy" },
      { email: "eve@example.test", password: PASSWORD, stored: "eve@example.test", result: "expired", user: "eve" },
      { email: "rex@example.test", password: PASSWORD, stored: "rex@example.test", result: "reset_required", user: "rex" },
    ];
    for (const [i, c] of cases.entries()) {
      const check = await checkPassword(database.db, { email: c.email, password: c.password }, context(`10.1.0.${i}`));
      expect(check.ok).toBe(false);
      const [row] = await attemptsOf(c.stored);
      expect(row).toMatchObject({ result: c.result, method: "password", email: c.stored, ip: `10.1.0.${i}`, userAgent: "vitest" });
      expect(row.userId).toBe(c.user ? people[c.user].id : null);
      // Nobody's address belongs to no account: no administrator can be told of it.
      expect(row.accountId).toBe(c.user ? accountId : null);
    }
  });

  it("records an account that signs in through its identity provider only as sso_only", async () => {
    const [sam] = await insertMembers(database.db, [{ accountId: (await database.db.insert(accounts).values({ name: "SSO only" }).returning())[0].id, email: "sam@sso.test", status: "active", passwordHash: await hashPassword(PASSWORD) }]);
    await database.db.insert(identityProviders).values({ accountId: sam.accountId, slug: "sso-only", issuer: "https://idp.test", clientId: "x", clientSecretEncrypted: "x", ssoOnly: true });
    expect((await checkPassword(database.db, { email: "sam@sso.test", password: PASSWORD }, context("10.2.0.1"))).ok).toBe(false);
    expect(await attemptsOf("sam@sso.test")).toMatchObject([{ result: "sso_only", userId: sam.id, accountId: sam.accountId }]);
  });

  it("records a throttled address once a minute, not once per refused guess", async () => {
    for (let i = 0; i < 5; i++) await checkPassword(database.db, { email: "ada@example.test", password: `${WRONG}${i}` }, context("10.3.0.1"));
    for (let i = 0; i < 3; i++) expect(await checkPassword(database.db, { email: "ada@example.test", password: PASSWORD }, context("10.3.0.1"))).toMatchObject({ ok: false, reason: "throttled" });
    const results = (await attemptsOf("ada@example.test")).map((row) => row.result);
    expect(results.filter((result) => result === "throttled")).toHaveLength(1);
    expect((await attemptsOf("ada@example.test")).find((row) => row.result === "throttled")?.userId).toBe(people.ada.id);
  });

  it("records a wrong second-step code as two_factor_failed for that person, and success only when the session opens", async () => {
    jar.set(SECOND_FACTOR_COOKIE, await createSignInGrant(database.db, people.tom.id, "second-factor"));
    const form = new FormData();
    form.set("code", "000000");
    expect((await verifySecondFactorAction({}, form)).error).toBe("That code is not right, or it was already used.");
    expect(await attemptsOf("tom@example.test")).toMatchObject([{ result: "two_factor_failed", method: "password", userId: people.tom.id, detail: "second step: code", ip: "203.0.113.9" }]);

    const opened = await openSessionWithGrant(database.db, await createSignInGrant(database.db, people.tom.id, "ready", "passkey"), context("10.4.0.1"));
    expect(opened?.id).toBe(people.tom.id);
    expect((await attemptsOf("tom@example.test")).at(-1)).toMatchObject({ result: "success", method: "passkey", userId: people.tom.id, accountId });
    // A spent grant opens nothing, and records nothing either.
    expect(await openSessionWithGrant(database.db, "spent-or-made-up", context("10.4.0.1"))).toBeNull();
    expect(await attemptsOf("tom@example.test")).toHaveLength(2);
  });
});

describe("O2: single sign-on attempts", () => {
  it("records refusals for the member when known, else for the account, and a success", async () => {
    const [idp] = await database.db
      .insert(identityProviders)
      .values({ accountId, slug: "acme", issuer: "https://idp.acme.test", clientId: "x", clientSecretEncrypted: "x", emailDomains: ["example.test"] })
      .returning();
    // B5: a new person joins only through a verified domain.
    await database.db.insert(verifiedDomains).values({ accountId, domain: "example.test", token: "t", verifiedAt: new Date(), joinMode: "auto", defaultRole: "member" });
    await database.db.update(users).set({ ssoSubject: "sub-dan" }).where(eq(users.id, people.dan.id));
    const sso = (profile: { sub: string; email: string }) => signInWithSso(database.db, idp as IdentityProvider, { ...profile, emailVerified: true, name: "" }, context("10.5.0.1"));
    expect(await sso({ sub: "sub-dan", email: "dan@example.test" })).toMatchObject({ ok: false, code: "disabled" });
    expect(await sso({ sub: "sub-out", email: "out@elsewhere.test" })).toMatchObject({ ok: false, code: "domain" });
    expect(await sso({ sub: "sub-new", email: "new@example.test" })).toMatchObject({ ok: true });
    const rows = await database.db.select().from(signInAttempts).where(eq(signInAttempts.method, "sso")).orderBy(asc(signInAttempts.id));
    expect(rows).toMatchObject([
      { result: "disabled", userId: people.dan.id, accountId, detail: "disabled" },
      { result: "sso_refused", userId: null, accountId, email: "out@elsewhere.test", detail: "domain" },
      { result: "success", accountId, email: "new@example.test" },
    ]);
  });
});

describe("O2: API keys", () => {
  it("records a key's use at most once a minute, and a revoked key's refusal once a minute", async () => {
    const key = `rst_${"a".repeat(40)}`;
    const [row] = await database.db.insert(apiKeys).values({ accountId, userId: people.ada.id, name: "ci", prefix: key.slice(0, 12), keyHash: sha256(key), scopes: ["users:read"] }).returning();
    for (let i = 0; i < 3; i++) expect(await authenticateApiKey(database.db, `Bearer ${key}`, context("10.6.0.1"))).not.toBeNull();
    const used = () => database.db.select().from(signInAttempts).where(eq(signInAttempts.method, "api_key")).orderBy(asc(signInAttempts.id));
    expect(await used()).toMatchObject([{ result: "success", userId: people.ada.id, accountId, detail: `key ${key.slice(0, 12)}` }]);

    await database.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, row.id));
    for (let i = 0; i < 3; i++) expect(await authenticateApiKey(database.db, `Bearer ${key}`, context("10.6.0.1"))).toBeNull();
    expect((await used()).map((attempt) => attempt.result)).toEqual(["success", "key_revoked"]);
    // A key that was never ours concerns no account: answered 401, not recorded.
    expect(await authenticateApiKey(database.db, `Bearer rst_${"b".repeat(40)}`, context("10.6.0.1"))).toBeNull();
    expect(await used()).toHaveLength(2);
  });
});

describe("O2: nothing secret is stored", () => {
  it("keeps no password, code or key tried in any column", async () => {
    const everything = JSON.stringify(await database.db.select().from(signInAttempts));
    expect(everything.length).toBeGreaterThan(100);
    for (const secret of [PASSWORD, WRONG, "000000", "a".repeat(40), "b".repeat(40)]) expect(everything).not.toContain(secret);
  });
});
