import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findResource, insertTeam, listAccountResources, listTeams, resourceScopeOf, setTeamMembers } from "@/db/queries/resources";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, teams, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { can, refusalFor } from "@/lib/auth/principal";
import { createResource, resizeResource, setDataSourceAudience, shareResource, unshareResource, visibleResources } from "./resources";
import { createResourceInput } from "./schemas";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let owner: User, mia: User, viewer: User, manager: User, outsider: User, accountId: string, teamId: string;
const request = { ip: "203.0.113.5", userAgent: "vitest" };
const as = async (user: User) => ({ principal: await principalFromDatabase(database.db, user), request });
const inTx = <T>(work: (tx: Parameters<Parameters<typeof database.db.transaction>[0]>[0]) => Promise<T>) => database.db.transaction(work);
const refusalOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    if (error instanceof ActionRefusal) return { code: error.code, message: error.message };
    throw error;
  }
  return null;
};
const create = async (user: User, input: Record<string, unknown>) => {
  const actor = await as(user);
  return inTx((tx) => createResource(tx, actor, createResourceInput.parse(input)));
};
/** The actor is loaded before the transaction: PGlite has one connection. */
const run = async <T>(user: User, work: (tx: Parameters<Parameters<typeof database.db.transaction>[0]>[0], actor: Awaited<ReturnType<typeof as>>) => Promise<T>) => {
  const actor = await as(user);
  return inTx((tx) => work(tx, actor));
};
const scope = async (id: string) => resourceScopeOf((await findResource(database.db, accountId, id))!);
const may = async (user: User, ability: "resource.view" | "resource.edit", id: string) => can(await principalFromDatabase(database.db, user), ability, await scope(id));

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Shares Inc" }).returning();
  const [other] = await database.db.insert(accounts).values({ name: "Elsewhere" }).returning();
  accountId = account.id;
  [owner, mia, viewer, manager] = await insertMembers(database.db, [
    { accountId, email: "olive@shares.test", name: "Olive Owner", status: "active", roles: ["member"] },
    { accountId, email: "mia@shares.test", name: "Mia Member", status: "active", roles: ["member"] },
    { accountId, email: "vic@shares.test", name: "Vic Viewer", status: "active", roles: ["viewer"] },
    { accountId, email: "max@shares.test", name: "Max Manager", status: "active", roles: ["manager"] },
  ]);
  [outsider] = await insertMembers(database.db, [{ accountId: other.id, email: "out@elsewhere.test", name: "Out Sider", status: "active", roles: ["admin"] }]);
  teamId = await insertTeam(database.db, accountId, { name: "Data", description: "", leadId: null, maxCpuMillis: 2000, maxMemoryMb: null, maxStorageGb: null, maxApps: 2, maxWorkflows: null, maxWorkspaces: null });
  await setTeamMembers(database.db, teamId, [owner.id, mia.id]);
});
afterAll(() => database.close());

describe("can(principal, resource.view | resource.edit, resource) (A6)", () => {
  it("combines ownership, direct shares, team shares and roles; a member's abilities follow the shares on the next load", async () => {
    const { id } = await create(owner, { kind: "dashboard", name: "Revenue" });
    expect(await may(owner, "resource.edit", id)).toBe(true);
    // Not shared: out of sight, as another account's would be.
    expect(refusalFor(await principalFromDatabase(database.db, mia), "resource.view", await scope(id))).toMatchObject({ code: "not_found" });
    await run(owner, (tx, actor) => shareResource(tx, actor, { resourceId: id, with: { teamId }, level: "view" }));
    expect(await may(mia, "resource.view", id)).toBe(true);
    expect(refusalFor(await principalFromDatabase(database.db, mia), "resource.edit", await scope(id))).toEqual({ code: "forbidden", message: "This dashboard is shared with you to view, not to edit." });
    // A direct Edit share raises Mia alone.
    await run(owner, (tx, actor) => shareResource(tx, actor, { resourceId: id, with: { userId: mia.id }, level: "edit" }));
    expect(await may(mia, "resource.edit", id)).toBe(true);
    // A Viewer's roles cap an Edit share at viewing.
    await run(owner, (tx, actor) => shareResource(tx, actor, { resourceId: id, with: { userId: viewer.id }, level: "edit" }));
    expect(await may(viewer, "resource.view", id)).toBe(true);
    expect(refusalFor(await principalFromDatabase(database.db, viewer), "resource.edit", await scope(id))).toMatchObject({ code: "forbidden", message: "Your roles do not allow this (create content)." });
    // "Edit all content" reaches everything of the account, nothing of another.
    expect(await may(manager, "resource.edit", id)).toBe(true);
    expect(refusalFor(await principalFromDatabase(database.db, outsider), "resource.view", await scope(id))).toMatchObject({ code: "not_found" });
    // Taking the share back takes the ability with it.
    const share = (await findResource(database.db, accountId, id))!.shares.find((entry) => entry.userId === mia.id)!;
    await run(owner, (tx, actor) => unshareResource(tx, actor, { resourceId: id, shareId: share.id }));
    expect(await may(mia, "resource.edit", id)).toBe(false);
    expect(await may(mia, "resource.view", id)).toBe(true);
    const actions = (await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, id))).map((event) => event.action);
    expect(actions).toEqual(["resource.created", "resource.shared", "resource.shared", "resource.shared", "resource.unshared"]);
  });

  it("applies a project's shares to its workspaces; a data source may be open to all users", async () => {
    const project = await create(owner, { kind: "project", name: "Churn" });
    const workspace = await create(owner, { kind: "workspace", name: "Model", parentId: project.id });
    expect(await may(mia, "resource.view", workspace.id)).toBe(false);
    await run(owner, (tx, actor) => shareResource(tx, actor, { resourceId: project.id, with: { userId: mia.id }, level: "edit" }));
    expect(await may(mia, "resource.edit", workspace.id)).toBe(true);
    expect(await refusalOf(create(mia, { kind: "workspace", name: "Orphan" }))).toMatchObject({ code: "invalid" });

    const source = await create(owner, { kind: "data_source", name: "Warehouse" });
    expect(await may(viewer, "resource.view", source.id)).toBe(false);
    await run(owner, (tx, actor) => setDataSourceAudience(tx, actor, { resourceId: source.id, allUsers: true }));
    expect(await may(viewer, "resource.view", source.id)).toBe(true);
    expect(await may(mia, "resource.edit", source.id)).toBe(false);
    // The list shows exactly what can() answers yes for.
    const visible = visibleResources(await principalFromDatabase(database.db, viewer), await listAccountResources(database.db, accountId)).map((row) => row.name);
    expect(visible).toContain("Warehouse");
    expect(visible).not.toContain("Churn");
  });

  it("refuses sharing by someone who may only view, and editing through a crafted ID of another account", async () => {
    const { id } = await create(owner, { kind: "chat", name: "Notes" });
    await run(owner, (tx, actor) => shareResource(tx, actor, { resourceId: id, with: { userId: mia.id }, level: "view" }));
    expect(await refusalOf(run(mia, (tx, actor) => shareResource(tx, actor, { resourceId: id, with: { userId: viewer.id }, level: "edit" })))).toMatchObject({ code: "forbidden" });
    expect(await refusalOf(run(outsider, (tx, actor) => shareResource(tx, actor, { resourceId: id, with: { userId: outsider.id }, level: "edit" })))).toEqual({ code: "not_found", message: "No such resource." });
  });
});

describe("quotas (A6)", () => {
  it("refuses a create or a resize that would pass a team's quota, naming the quota and usage", async () => {
    await create(owner, { kind: "app", name: "One", teamId, cpuMillis: 1500 });
    expect(await refusalOf(create(owner, { kind: "app", name: "Two", teamId, cpuMillis: 1000 }))).toEqual({
      code: "conflict",
      message: "This would pass the Data team's CPU quota: 1.5 cores of 2 cores in use, and this needs 1 core more.",
    });
    const two = await create(mia, { kind: "app", name: "Two", teamId, cpuMillis: 500 });
    expect(await refusalOf(create(owner, { kind: "app", name: "Three", teamId }))).toMatchObject({ message: "This would pass the Data team's apps quota: 2 apps of 2 apps in use, and this needs 1 app more." });
    expect(await refusalOf(run(mia, (tx, actor) => resizeResource(tx, actor, { resourceId: two.id, cpuMillis: 750, memoryMb: null, storageGb: null })))).toMatchObject({ message: expect.stringContaining("CPU quota: 2 cores of 2 cores in use, and this needs 0.25 cores more") });
    await run(mia, (tx, actor) => resizeResource(tx, actor, { resourceId: two.id, cpuMillis: 250, memoryMb: 512, storageGb: 1 }));
    const [team] = await listTeams(database.db, accountId);
    expect(team.members.map((member) => member.name)).toEqual(["Mia Member", "Olive Owner"]);
    expect(team.usage).toEqual({ cpuMillis: 1750, memoryMb: 512, storageGb: 1, apps: 2, workflows: 0, workspaces: 0 });
    // Not a member of the team: not theirs to spend.
    expect(await refusalOf(create(viewer, { kind: "chat", name: "x", teamId }))).toMatchObject({ code: "forbidden" });
  });

  it("counts a workspace against its project's team, whether or not the form named the team", async () => {
    await database.db.update(teams).set({ maxWorkspaces: 1 }).where(eq(teams.id, teamId));
    const project = await create(owner, { kind: "project", name: "Lakehouse", teamId });
    await create(owner, { kind: "workspace", name: "Bronze", parentId: project.id });
    expect((await listTeams(database.db, accountId))[0].usage.workspaces).toBe(1);
    expect(await refusalOf(create(owner, { kind: "workspace", name: "Silver", parentId: project.id }))).toMatchObject({
      code: "conflict",
      message: expect.stringContaining("workspaces quota: 1 workspace of 1 workspace in use"),
    });
  });
});
