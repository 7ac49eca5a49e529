import { insertMembers } from "@/db/queries/users";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, apiKeys, auditEvents, users, type User } from "@/db/schema";
import { GET as me } from "@/app/api/v1/me/route";
import { GET as listUsers } from "@/app/api/v1/users/route";
import { GET as getUser } from "@/app/api/v1/users/[id]/route";
import { GET as listUnits } from "@/app/api/v1/units/route";
import { POST as disable } from "@/app/api/v1/users/[id]/disable/route";
import { POST as enable } from "@/app/api/v1/users/[id]/enable/route";
import { GET as openapi } from "@/app/api/v1/openapi.json/route";
import { POST as authorize } from "@/app/api/v1/authorize/route";
import { GET as listResources, POST as createResource } from "@/app/api/v1/resources/route";
import { POST as checkResource } from "@/app/api/v1/resources/check/route";
import { GET as getResource, PATCH as resizeResource } from "@/app/api/v1/resources/[id]/route";
import { GET as listAuditEvents } from "@/app/api/v1/audit-events/route";
import { GET as listSignInAttempts } from "@/app/api/v1/sign-in-attempts/route";
import { createApiKey } from "@/lib/api-keys";
import { API_SCOPE_NAMES, type ApiScope } from "./scopes";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let admin: User, active: User, disabled: User;

const call = (key: string, path: string, method = "GET") => new Request(`http://roster.test/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}` } });
const params = (values: Record<string, string> = {}) => ({ params: Promise.resolve(values) });
const newKey = async (scopes: readonly ApiScope[]) => (await database.db.transaction((tx) => createApiKey(tx, currentUserOf(admin), { name: "scoped", expiresInDays: null, scopes }))).key;
const statusOf = async (user: User) => (await database.db.select({ status: users.status }).from(users).where(eq(users.id, user.id)))[0].status;
const auditRowsOf = (user: User) => database.db.select().from(auditEvents).where(and(eq(auditEvents.targetType, "user"), eq(auditEvents.targetId, user.id)));

async function expectInsufficientScope(res: Response, scope: ApiScope) {
  expect(res.status).toBe(403);
  expect(res.headers.get("www-authenticate")).toBe(`Bearer error="insufficient_scope", scope="${scope}"`);
  expect(await res.json()).toMatchObject({ error: { code: "insufficient_scope", message: expect.stringContaining(scope) } });
}

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  [admin, active, disabled] = await insertMembers(database.db, [
      { accountId: acme.id, email: "admin@acme.test", name: "Ada", roles: ["admin"], status: "active" },
      { accountId: acme.id, email: "mo@acme.test", name: "Mo", status: "active" },
      { accountId: acme.id, email: "dee@acme.test", name: "Dee", status: "disabled", disabledAt: new Date() },
    ]);
});
afterAll(() => database.close());

describe("API key scopes (P6)", () => {
  it("a read-only key gets 403 insufficient_scope on disable and enable, and nothing changes", async () => {
    const readOnly = await newKey(["profile:read", "members:read"]);
    expect((await listUsers(call(readOnly, "/users"), params())).status).toBe(200);

    await expectInsufficientScope(await disable(call(readOnly, `/users/${active.id}/disable`, "POST"), params({ id: active.id })), "members:write");
    await expectInsufficientScope(await enable(call(readOnly, `/users/${disabled.id}/enable`, "POST"), params({ id: disabled.id })), "members:write");
    expect(await statusOf(active)).toBe("active");
    expect(await statusOf(disabled)).toBe("disabled");
    expect(await auditRowsOf(active)).toEqual([]);
    expect(await auditRowsOf(disabled)).toEqual([]);
  });

  it("a members:write key disables and enables, and needs members:read to list", async () => {
    const writer = await newKey(["members:write"]);
    const off = await disable(call(writer, `/users/${active.id}/disable`, "POST"), params({ id: active.id }));
    expect(off.status).toBe(200);
    expect(await statusOf(active)).toBe("disabled");
    const on = await enable(call(writer, `/users/${active.id}/enable`, "POST"), params({ id: active.id }));
    expect(on.status).toBe(200);
    expect(await statusOf(active)).toBe("active");
    expect((await auditRowsOf(active)).map((event) => event.action)).toEqual(expect.arrayContaining(["member.disabled", "member.enabled"]));

    await expectInsufficientScope(await listUsers(call(writer, "/users"), params()), "members:read");
    await expectInsufficientScope(await me(call(writer, "/me"), params()), "profile:read");
  });

  it("a profile:read-only key reads its owner but cannot list users", async () => {
    const profileOnly = await newKey(["profile:read"]);
    expect((await me(call(profileOnly, "/me"), params())).status).toBe(200);
    await expectInsufficientScope(await listUsers(call(profileOnly, "/users"), params()), "members:read");
  });

  it("a key without any scope can do nothing", async () => {
    const key = await newKey(["profile:read"]);
    await database.db.update(apiKeys).set({ scopes: [] }).where(eq(apiKeys.prefix, key.slice(0, 12)));
    await expectInsufficientScope(await me(call(key, "/me"), params()), "profile:read");
  });

  it("each operation in the OpenAPI document names the scope its route demands", async () => {
    const doc = (await openapi().json()) as { paths: Record<string, Record<string, { security: { apiKey: string[] }[] }>> };
    const routes: [string, string, (req: Request, route: ReturnType<typeof params>) => Promise<Response>, string][] = [
      ["/me", "get", me, "/me"],
      ["/users", "get", listUsers, "/users"],
      ["/users/{id}", "get", getUser, `/users/${active.id}`],
      ["/units", "get", listUnits, "/units"],
      ["/users/{id}/disable", "post", disable, `/users/${active.id}/disable`],
      ["/users/{id}/enable", "post", enable, `/users/${active.id}/enable`],
      ["/authorize", "post", authorize, "/authorize"],
      ["/resources", "get", listResources, "/resources"],
      ["/resources/check", "post", checkResource, "/resources/check"],
      ["/resources/{id}", "get", getResource, `/resources/${active.id}`],
      ["/resources/{id}", "patch", resizeResource, `/resources/${active.id}`],
      ["/audit-events", "get", listAuditEvents, "/audit-events"],
      ["/sign-in-attempts", "get", listSignInAttempts, "/sign-in-attempts"],
    ];
    expect(Object.keys(doc.paths).sort()).toEqual([...new Set(routes.map(([path]) => path))].sort());
    expect(doc.paths["/resources"].post.security[0].apiKey).toEqual(["resources:write"]);
    await expectInsufficientScope(await createResource(call(await newKey(API_SCOPE_NAMES.filter((s) => s !== "resources:write")), "/resources", "POST"), params()), "resources:write");
    for (const [path, method, handler, url] of routes) {
      const [scope] = doc.paths[path][method].security[0].apiKey as ApiScope[];
      expect(API_SCOPE_NAMES).toContain(scope);
      const everythingElse = await newKey(API_SCOPE_NAMES.filter((s) => s !== scope));
      await expectInsufficientScope(await handler(call(everythingElse, url, method.toUpperCase()), params({ id: active.id })), scope);
    }
    expect(await statusOf(active)).toBe("active");
  });
});
