import { insertMembers } from "@/db/queries/users";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, apiKeys, auditEvents, identityProviders, users, type User } from "@/db/schema";
import { encrypt } from "@/lib/crypto";
import { GET as me } from "@/app/api/v1/me/route";
import { GET as listUsers } from "@/app/api/v1/users/route";
import { POST as disable } from "@/app/api/v1/users/[id]/disable/route";
import { POST as enable } from "@/app/api/v1/users/[id]/enable/route";
import { createApiKey } from "@/lib/api-keys";
import { setMemberRoles } from "@/lib/team/roles";
import { API_RATE_LIMIT } from "./handler";
import { API_SCOPE_NAMES, type ApiScope } from "./scopes";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let acmeAdmin: User, acmeMember: User, globexAdmin: User, globexMember: User;
let adminKey: string, memberKey: string, globexKey: string;
const allScopes = API_SCOPE_NAMES;

const noParams = { params: Promise.resolve({}) };
const idParams = (id: string) => ({ params: Promise.resolve({ id }) });
const call = (key: string | null, path: string, init: RequestInit = {}) =>
  new Request(`http://roster.test/api/v1${path}`, { ...init, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers ?? {}) } });
const newKey = async (owner: User, scopes: readonly ApiScope[], expiresInDays: number | null = null) =>
  (await database.db.transaction((tx) => createApiKey(tx, currentUserOf(owner), { name: "test", expiresInDays, scopes }))).key;

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme, globex] = await database.db.insert(accounts).values([{ name: "Acme" }, { name: "Globex" }]).returning();
  [acmeAdmin, acmeMember, globexAdmin, globexMember] = await insertMembers(database.db, [
      { accountId: acme.id, email: "admin@acme.test", name: "Ada", roles: ["admin"], status: "active" },
      { accountId: acme.id, email: "member@acme.test", name: "Mo", status: "active" },
      { accountId: globex.id, email: "admin@globex.test", name: "Gale", roles: ["admin"], status: "active" },
      { accountId: globex.id, email: "otto@globex.test", name: "Otto", status: "active" },
    ]);
  adminKey = await newKey(acmeAdmin, allScopes);
  memberKey = await newKey(acmeMember, ["profile:read"]);
  globexKey = await newKey(globexAdmin, allScopes);
});
afterAll(() => database.close());

describe("API keys (P6)", () => {
  it("stores only a hash and a short prefix", async () => {
    const rows = await database.db.select().from(apiKeys);
    for (const row of rows) {
      expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.prefix).toHaveLength(12);
      expect([adminKey, memberKey, globexKey]).not.toContain(row.keyHash);
    }
  });

  it("GET /me answers for any valid key, 401 otherwise", async () => {
    const ok = await me(call(memberKey, "/me"), noParams);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ email: "member@acme.test", roles: [{ key: "member", name: "Member", custom: false }], permissions: expect.arrayContaining(["content.view"]) });
    for (const bad of [null, "rst_nope", `${memberKey}x`, memberKey.replace(/.$/, (c) => (c === "A" ? "B" : "A"))]) {
      const res = await me(call(bad, "/me"), noParams);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
  });

  it("sees a change of roles on the key's very next request (A3)", async () => {
    const grant = (roles: string[]) =>
      database.db.transaction((tx) => setMemberRoles(tx, { principal: currentUserOf(acmeAdmin), request: { ip: null, userAgent: null } }, { userId: acmeMember.id, roles }));
    await grant(["member", "manager"]);
    const after = (await (await me(call(memberKey, "/me"), noParams)).json()) as { roles: { key: string }[]; permissions: string[] };
    expect(after.roles.map((role) => role.key)).toEqual(["member", "manager"]);
    expect(after.permissions).toContain("content.edit_all");
    await grant(["member"]);
    const back = (await (await me(call(memberKey, "/me"), noParams)).json()) as { permissions: string[] };
    expect(back.permissions).not.toContain("content.edit_all");
  });

  it("gives a secondary user's key 403 on /users, even one that migration 0009 gave members:read", async () => {
    const res = await listUsers(call(memberKey, "/users"), noParams);
    expect(res.status).toBe(403);
    const older = await newKey(acmeMember, ["profile:read"]);
    await database.db.update(apiKeys).set({ scopes: ["profile:read", "members:read"] }).where(eq(apiKeys.prefix, older.slice(0, 12)));
    const refused = await listUsers(call(older, "/users"), noParams);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });
  });

  it("never shows or changes account B with a key of account A", async () => {
    const res = await listUsers(call(globexKey, "/users?search=acme"), noParams);
    expect(await res.json()).toMatchObject({ data: [], total: 0 });
    const all = (await (await listUsers(call(globexKey, "/users"), noParams)).json()) as { data: { email: string }[] };
    expect(all.data.map((u) => u.email).sort()).toEqual(["admin@globex.test", "otto@globex.test"]);
    const cross = await disable(call(globexKey, `/users/${acmeMember.id}/disable`, { method: "POST" }), idParams(acmeMember.id));
    expect(cross.status).toBe(404);
    const [row] = await database.db.select().from(users).where(eq(users.id, acmeMember.id));
    expect(row.status).toBe("active");
  });

  it("disables and enables with the console's rules, audited with the key's prefix; the disabled owner's key stops at once", async () => {
    const res = await disable(call(adminKey, `/users/${acmeMember.id}/disable`, { method: "POST" }), idParams(acmeMember.id));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "disabled" });
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "member.disabled"));
    expect(event.details).toMatchObject({ via: "api", apiKey: adminKey.slice(0, 12) });

    expect((await me(call(memberKey, "/me"), noParams)).status).toBe(401);
    expect((await disable(call(adminKey, `/users/${acmeAdmin.id}/disable`, { method: "POST" }), idParams(acmeAdmin.id))).status).toBe(409);

    const back = await enable(call(adminKey, `/users/${acmeMember.id}/enable`, { method: "POST" }), idParams(acmeMember.id));
    expect(back.status).toBe(200);
    expect((await me(call(memberKey, "/me"), noParams)).status).toBe(200);
  });

  it("refuses expired and revoked keys", async () => {
    const expiring = await newKey(acmeAdmin, ["profile:read"], 30);
    expect((await me(call(expiring, "/me"), noParams)).status).toBe(200);
    await database.db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiKeys.prefix, expiring.slice(0, 12)));
    expect((await me(call(expiring, "/me"), noParams)).status).toBe(401);

    const revoked = await newKey(acmeAdmin, ["profile:read"]);
    await database.db.update(apiKeys).set({ revokedAt: sql`now()` }).where(eq(apiKeys.prefix, revoked.slice(0, 12)));
    expect((await me(call(revoked, "/me"), noParams)).status).toBe(401);
  });

  it("rate-limits per key with 429 and Retry-After", async () => {
    const key = await newKey(globexMember, ["profile:read"]);
    let last: Response | undefined;
    for (let i = 0; i <= API_RATE_LIMIT.points; i++) last = await me(call(key, "/me"), noParams);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    // Other keys are not affected.
    expect((await me(call(globexKey, "/me"), noParams)).status).toBe(200);
  });

  it("refuses management calls in an SSO-only account, whose membership comes from the IdP (T7)", async () => {
    const [idp] = await database.db
      .insert(identityProviders)
      .values({ accountId: acmeAdmin.accountId, slug: "acme", issuer: "https://idp.example", clientId: "c", clientSecretEncrypted: encrypt("s"), emailDomains: ["acme.test"], ssoOnly: true })
      .returning();
    try {
      const listed = await listUsers(call(adminKey, "/users"), noParams);
      expect(listed.status).toBe(403);
      expect(await listed.json()).toMatchObject({ error: { code: "managed_by_identity_provider" } });
      const refused = await disable(call(adminKey, `/users/${acmeMember.id}/disable`, { method: "POST" }), idParams(acmeMember.id));
      expect(refused.status).toBe(403);
      const [row] = await database.db.select().from(users).where(eq(users.id, acmeMember.id));
      expect(row.status).toBe("active");
      // Everyone's own /me still answers.
      expect((await me(call(adminKey, "/me"), noParams)).status).toBe(200);
    } finally {
      await database.db.delete(identityProviders).where(eq(identityProviders.accountId, idp.accountId));
    }
  });

  it("stops the key of someone whom Enforce 2FA requires to set it up first, and only after the grace period (P4)", async () => {
    const [acme] = await database.db.select().from(accounts).where(eq(accounts.id, acmeMember.accountId));
    const key = await newKey(acmeMember, ["profile:read"]);
    const enforce = (values: Partial<typeof accounts.$inferInsert>) => database.db.update(accounts).set(values).where(eq(accounts.id, acme.id));
    try {
      await enforce({ enforceTwoFactor: true, twoFactorRoles: null, twoFactorGraceDays: 7, twoFactorEnforcedSince: new Date() });
      expect((await me(call(key, "/me"), noParams)).status).toBe(200);

      await enforce({ twoFactorGraceDays: 0 });
      const refused = await me(call(key, "/me"), noParams);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: "two_factor_setup_required" } });
      const listed = await listUsers(call(adminKey, "/users"), noParams);
      expect(listed.status).toBe(403);

      // Enforcement for the Admin role only leaves the member's key working.
      await enforce({ twoFactorRoles: ["admin"] });
      expect((await me(call(key, "/me"), noParams)).status).toBe(200);
      expect((await listUsers(call(adminKey, "/users"), noParams)).status).toBe(403);

      // Once 2FA is on, the key works again.
      await database.db.update(users).set({ totpEnabledAt: new Date() }).where(eq(users.id, acmeAdmin.id));
      expect((await listUsers(call(adminKey, "/users"), noParams)).status).toBe(200);
    } finally {
      await enforce({ enforceTwoFactor: false, twoFactorEnforcedSince: null });
      await database.db.update(users).set({ totpEnabledAt: null }).where(eq(users.id, acmeAdmin.id));
    }
  });
});

describe("bad input on the API", () => {
  it("answers invalid query parameters with 400 JSON", async () => {
    for (const query of ["?status=sleeping", "?page=0", "?page=abc", "?pageSize=1000", "?sort=password", "?direction=up", "?unknown=1", `?search=${"x".repeat(300)}`]) {
      const res = await listUsers(call(adminKey, `/users${query}`), noParams);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "invalid_query" } });
    }
  });

  it("answers malformed JSON, wrong content types, huge bodies and malformed IDs with 4xx JSON", async () => {
    const post = (body: BodyInit, headers: Record<string, string>) =>
      disable(call(adminKey, `/users/${acmeMember.id}/disable`, { method: "POST", body, headers }), idParams(acmeMember.id));
    const cases: [Response, number][] = [
      [await post("{not json", { "content-type": "application/json" }), 400],
      [await post("[]", { "content-type": "application/json" }), 400],
      [await post("userId=1", { "content-type": "application/x-www-form-urlencoded" }), 415],
      [await post("x".repeat(100_000), { "content-type": "application/json" }), 413],
      [await disable(call(adminKey, "/users/not-a-uuid/disable", { method: "POST" }), idParams("not-a-uuid")), 404],
    ];
    for (const [res, status] of cases) {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
    }
    const [row] = await database.db.select().from(users).where(eq(users.id, acmeMember.id));
    expect(row.status).toBe("active");
  });
});
