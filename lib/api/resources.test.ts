import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertTeam, setTeamMembers } from "@/db/queries/resources";
import { insertMembers } from "@/db/queries/users";
import { currentUserOf, principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, type User } from "@/db/schema";
import { GET as list, POST as create } from "@/app/api/v1/resources/route";
import { POST as check } from "@/app/api/v1/resources/check/route";
import { GET as getOne, PATCH as resize } from "@/app/api/v1/resources/[id]/route";
import { createApiKey } from "@/lib/api-keys";
import { shareResource } from "@/lib/resources/resources";
import type { ApiScope } from "./scopes";

// A6 over /api/v1: crafted requests get exactly what can(principal, resource.*, resource) allows.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let olive: User, mia: User, vic: User, gale: User, teamId: string;
let oliveKey: string, miaKey: string, vicKey: string, galeKey: string;
const noParams = { params: Promise.resolve({}) };
const call = (key: string, path: string, body?: unknown) =>
  new Request(`http://roster.test/api/v1${path}`, { method: body ? "POST" : "GET", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
// A Viewer may not make keys in the console; the test makes Vic's as if an earlier role had allowed it.
const newKey = async (owner: User, scopes: ApiScope[]) =>
  (await database.db.transaction((tx) => createApiKey(tx, currentUserOf(owner, { permissions: new Set(["api_keys.create", "content.view", "content.create"] as const) }), { name: "test", expiresInDays: null, scopes }))).key;
const patch = (key: string, id: string, body: unknown) =>
  resize(new Request(`http://roster.test/api/v1/resources/${id}`, { method: "PATCH", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) }), { params: Promise.resolve({ id }) });
const names = async (key: string) => ((await (await list(call(key, "/resources"), noParams)).json()) as { data: { name: string }[] }).data.map((row) => row.name);

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme, globex] = await database.db.insert(accounts).values([{ name: "Acme" }, { name: "Globex" }]).returning();
  [olive, mia, vic] = await insertMembers(database.db, [
    { accountId: acme.id, email: "olive@acme.test", name: "Olive", roles: ["member"], status: "active" },
    { accountId: acme.id, email: "mia@acme.test", name: "Mia", roles: ["member"], status: "active" },
    { accountId: acme.id, email: "vic@acme.test", name: "Vic", roles: ["viewer"], status: "active" },
  ]);
  [gale] = await insertMembers(database.db, [{ accountId: globex.id, email: "gale@globex.test", name: "Gale", roles: ["admin"], status: "active" }]);
  teamId = await insertTeam(database.db, acme.id, { name: "Apps", description: "", leadId: null, maxCpuMillis: null, maxMemoryMb: 4096, maxStorageGb: null, maxApps: null, maxWorkflows: null, maxWorkspaces: null });
  await setTeamMembers(database.db, teamId, [olive.id]);
  oliveKey = await newKey(olive, ["resources:read", "resources:write"]);
  miaKey = await newKey(mia, ["resources:read"]);
  vicKey = await newKey(vic, ["resources:read", "resources:write"]);
  galeKey = await newKey(gale, ["resources:read", "resources:write"]);
});
afterAll(() => database.close());

describe("/api/v1/resources (A6)", () => {
  it("creates owned resources, lists only what each caller may see, and answers checks with the console's can()", async () => {
    const res = await create(call(oliveKey, "/resources", { kind: "app", name: "Explorer", teamId, cpuMillis: 500, memoryMb: 3072 }), noParams);
    expect(res.status).toBe(201);
    const app = (await res.json()) as { id: string; owner: { id: string }; size: unknown; sharedWith: unknown[] };
    expect(app).toMatchObject({ owner: { id: olive.id }, size: { cpuMillis: 500, memoryMb: 3072, storageGb: null }, sharedWith: [] });
    const [audit] = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, app.id));
    expect(audit).toMatchObject({ action: "resource.created", details: expect.objectContaining({ via: "api" }) });

    // The quota is named, with its usage.
    const over = await create(call(oliveKey, "/resources", { kind: "workflow", name: "Big", teamId, memoryMb: 2048 }), noParams);
    expect(over.status).toBe(409);
    expect(await over.json()).toEqual({ error: { code: "conflict", message: "This would pass the Apps team's memory quota: 3 GiB of 4 GiB in use, and this needs 2 GiB more." } });

    expect(await names(oliveKey)).toEqual(["Explorer"]);
    expect(await names(miaKey)).toEqual([]);
    const ask = async (key: string, body: Record<string, unknown>) => {
      const answer = await check(call(key, "/resources/check", body), noParams);
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    };
    expect(await ask(oliveKey, { resourceId: app.id, ability: "edit", userId: mia.id })).toMatchObject({ status: 200, body: { allowed: false, reason: "Not shared with them." } });
    // Mia cannot even ask about it: it is not hers to see.
    expect((await ask(miaKey, { resourceId: app.id, ability: "view" })).status).toBe(404);

    const owner = { principal: await principalFromDatabase(database.db, olive), request: { ip: null, userAgent: null } };
    await database.db.transaction((tx) => shareResource(tx, owner, { resourceId: app.id, with: { userId: mia.id }, level: "view" }));
    // The next request sees the share.
    expect(await names(miaKey)).toEqual(["Explorer"]);
    expect(await ask(miaKey, { resourceId: app.id, ability: "view" })).toMatchObject({ status: 200, body: { allowed: true } });
    expect(await ask(miaKey, { resourceId: app.id, ability: "edit" })).toMatchObject({ body: { allowed: false, reason: "This app is shared with you to view, not to edit." } });
    await database.db.transaction((tx) => shareResource(tx, owner, { resourceId: app.id, with: { userId: mia.id }, level: "edit" }));
    expect(await ask(miaKey, { resourceId: app.id, ability: "edit" })).toMatchObject({ body: { allowed: true } });
  });

  it("gives a workflow's viewer its name and owner only (its execution log is theirs, not its size or shares)", async () => {
    const res = await create(call(oliveKey, "/resources", { kind: "workflow", name: "Nightly sync", memoryMb: 256 }), noParams);
    const flow = (await res.json()) as { id: string; access: string };
    expect(flow.access).toBe("edit");
    const owner = { principal: await principalFromDatabase(database.db, olive), request: { ip: null, userAgent: null } };
    await database.db.transaction((tx) => shareResource(tx, owner, { resourceId: flow.id, with: { userId: mia.id }, level: "view" }));
    const one = async (key: string) => (await getOne(call(key, `/resources/${flow.id}`), { params: Promise.resolve({ id: flow.id }) })).json();
    expect(await one(miaKey)).toEqual({ id: flow.id, kind: "workflow", name: "Nightly sync", owner: { id: olive.id, name: "Olive", email: "olive@acme.test" }, access: "log" });
    const listed = ((await (await list(call(miaKey, "/resources"), noParams)).json()) as { data: Record<string, unknown>[] }).data.find((row) => row.id === flow.id);
    expect(listed).toEqual(expect.objectContaining({ access: "log" }));
    expect(listed).not.toHaveProperty("size");
    expect(listed).not.toHaveProperty("sharedWith");
    // The owner reads all of it.
    expect(await one(oliveKey)).toMatchObject({ access: "edit", size: { memoryMb: 256 }, sharedWith: [{ id: mia.id, level: "view" }] });
  });

  it("refuses crafted requests: another account's resource, a workspace in someone else's project, a Viewer creating, a malformed question", async () => {
    const project = (await (await create(call(oliveKey, "/resources", { kind: "project", name: "Private project" }), noParams)).json()) as { id: string };
    // Another account: the same 404 as an ID that does not exist; its list holds nothing of ours.
    const foreign = await check(call(galeKey, "/resources/check", { resourceId: project.id, ability: "view" }), noParams);
    expect(foreign.status).toBe(404);
    expect(await names(galeKey)).toEqual([]);
    const intoForeign = await create(call(galeKey, "/resources", { kind: "workspace", name: "Sneaky", parentId: project.id }), noParams);
    expect(intoForeign.status).toBe(404);
    expect(await intoForeign.json()).toEqual({ error: { code: "not_found", message: "No such resource." } });
    // A Viewer's key holds resources:write, but their roles do not allow creating content.
    const viewer = await create(call(vicKey, "/resources", { kind: "chat", name: "Mine" }), noParams);
    expect(viewer.status).toBe(403);
    expect((await check(call(oliveKey, "/resources/check", { resourceId: project.id, ability: "delete" }), noParams)).status).toBe(400);
    expect((await create(call(oliveKey, "/resources", { kind: "app", name: "", cpuMillis: -1 }), noParams)).status).toBe(422);
  });

  it("reads one resource and resizes it through PATCH with the console's check and its team's quotas", async () => {
    const app = (await (await create(call(oliveKey, "/resources", { kind: "app", name: "Sizer", teamId, cpuMillis: 100, memoryMb: 256 }), noParams)).json()) as { id: string };
    const one = (key: string, id: string) => getOne(call(key, `/resources/${id}`), { params: Promise.resolve({ id }) });
    expect(await (await one(oliveKey, app.id)).json()).toMatchObject({ id: app.id, name: "Sizer", size: { cpuMillis: 100, memoryMb: 256 } });
    // Not shared with Mia, another account's for Gale, not an ID at all: the same 404, reading or resizing.
    for (const [key, id] of [[miaKey, app.id], [galeKey, app.id], [oliveKey, "not-an-id"]] as const) {
      expect((await one(key, id)).status).toBe(404);
    }
    expect((await patch(galeKey, app.id, { cpuMillis: 1 })).status).toBe(404);

    // One size given: the others keep their values; audited as done through the API.
    const grown = await patch(oliveKey, app.id, { cpuMillis: 250 });
    expect(grown.status).toBe(200);
    expect(await grown.json()).toMatchObject({ size: { cpuMillis: 250, memoryMb: 256, storageGb: null } });
    const [audit] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "resource.resized"));
    expect(audit).toMatchObject({ targetId: app.id, details: expect.objectContaining({ via: "api", after: { cpuMillis: 250, memoryMb: 256, storageGb: null } }) });

    // Past the team's memory quota (4 GiB): refused, naming it, and nothing changes.
    const over = await patch(oliveKey, app.id, { memoryMb: 8192 });
    expect(over.status).toBe(409);
    expect(((await over.json()) as { error: { message: string } }).error.message).toMatch(/Apps team's memory quota/);
    expect((await patch(oliveKey, app.id, { storageGb: -3 })).status).toBe(422);
    expect(await (await one(oliveKey, app.id)).json()).toMatchObject({ size: { cpuMillis: 250, memoryMb: 256, storageGb: null } });

    // Shared to view, Mia may read it but not resize it: she sees it, so she is told why.
    const owner = { principal: await principalFromDatabase(database.db, olive), request: { ip: null, userAgent: null } };
    await database.db.transaction((tx) => shareResource(tx, owner, { resourceId: app.id, with: { userId: mia.id }, level: "view" }));
    expect((await one(miaKey, app.id)).status).toBe(200);
    const miaWrites = await newKey(mia, ["resources:read", "resources:write"]);
    const refused = await patch(miaWrites, app.id, { cpuMillis: 1 });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { message: "This app is shared with you to view, not to edit." } });
  });
});
