import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findResource, findTeam, insertResource, resourceScopeOf } from "@/db/queries/resources";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { can } from "@/lib/auth/principal";
import { createResource, shareResource } from "./resources";
import { createResourceInput, teamInput } from "./schemas";
import { archiveTeam, changeTeamMembers, createTeam, deleteTeam, editTeam } from "./teams";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let ada: User, lee: User, mo: User, accountId: string;
const request = { ip: "203.0.113.5", userAgent: "vitest" };
type Tx = Parameters<Parameters<typeof database.db.transaction>[0]>[0];
/** The actor is loaded before the transaction: PGlite has one connection. */
const run = async <T>(user: User, work: (tx: Tx, actor: { principal: Awaited<ReturnType<typeof principalFromDatabase>>; request: typeof request }) => Promise<T>) => {
  const actor = { principal: await principalFromDatabase(database.db, user), request };
  return database.db.transaction((tx) => work(tx, actor));
};
const refusalOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    if (error instanceof ActionRefusal) return { code: error.code, message: error.message };
    throw error;
  }
  return null;
};

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Teams Co" }).returning();
  accountId = account.id;
  [ada, lee, mo] = await insertMembers(database.db, [
    { accountId, email: "ada@teams.test", name: "Ada", status: "active", roles: ["admin"] },
    { accountId, email: "lee@teams.test", name: "Lee", status: "active", roles: ["member"] },
    { accountId, email: "mo@teams.test", name: "Mo", status: "active", roles: ["member"] },
  ]);
});
afterAll(() => database.close());

describe("teams (A6)", () => {
  it("a lead manages the team's members (not another's); archiving ends its shares' access; deleting one with shares asks first", async () => {
    const input = teamInput.parse({ name: "Ops", description: "", leadId: lee.id, memberIds: [], maxApps: "2" });
    const { id } = await run(ada, (tx, actor) => createTeam(tx, actor, input));
    expect(await findTeam(database.db, accountId, id)).toMatchObject({ leadId: lee.id, maxApps: 2, maxCpuMillis: null, members: [{ id: lee.id }] });
    expect(await refusalOf(run(ada, (tx, actor) => createTeam(tx, actor, { ...input, name: "ops" })))).toMatchObject({ message: "There is already a team called ops." });

    await run(lee, (tx, actor) => changeTeamMembers(tx, actor, { teamId: id, memberIds: [mo.id] }));
    expect((await findTeam(database.db, accountId, id))!.members.map((member) => member.name)).toEqual(["Lee", "Mo"]);
    expect(await refusalOf(run(mo, (tx, actor) => changeTeamMembers(tx, actor, { teamId: id, memberIds: [] })))).toMatchObject({ code: "forbidden" });

    const board = await insertResource(database.db, { accountId, ownerId: ada.id, kind: "dashboard", name: "Ops board", parentId: null, teamId: null, cpuMillis: null, memoryMb: null, storageGb: null, allUsers: false });
    await run(ada, (tx, actor) => shareResource(tx, actor, { resourceId: board, with: { teamId: id }, level: "view" }));
    const scope = async () => resourceScopeOf((await findResource(database.db, accountId, board))!);
    expect(can(await principalFromDatabase(database.db, mo), "resource.view", await scope())).toBe(true);
    // The lead may share what they see with their team — to view; not to edit what they may only view.
    const notes = await insertResource(database.db, { accountId, ownerId: ada.id, kind: "dashboard", name: "Ada's notes", parentId: null, teamId: null, cpuMillis: null, memoryMb: null, storageGb: null, allUsers: false });
    await run(ada, (tx, actor) => shareResource(tx, actor, { resourceId: notes, with: { userId: lee.id }, level: "view" }));
    expect(await refusalOf(run(lee, (tx, actor) => shareResource(tx, actor, { resourceId: notes, with: { teamId: id }, level: "edit" })))).toEqual({
      code: "forbidden",
      message: "You may only view this dashboard, so you can share it with your team to view, not to edit.",
    });
    await run(lee, (tx, actor) => shareResource(tx, actor, { resourceId: notes, with: { teamId: id }, level: "view" }));
    const notesScope = resourceScopeOf((await findResource(database.db, accountId, notes))!);
    expect(can(await principalFromDatabase(database.db, lee), "resource.edit", notesScope)).toBe(false);
    expect(can(await principalFromDatabase(database.db, mo), "resource.view", notesScope)).toBe(true);
    await run(ada, (tx, actor) => archiveTeam(tx, actor, { teamId: id, archived: true }));
    expect(can(await principalFromDatabase(database.db, mo), "resource.view", await scope())).toBe(false);
    await run(ada, (tx, actor) => archiveTeam(tx, actor, { teamId: id, archived: false }));

    expect(await refusalOf(run(ada, (tx, actor) => deleteTeam(tx, actor, { teamId: id })))).toEqual({
      code: "conflict",
      message: "Ops holds 2 shares: its members lose what was shared with the team. Confirm removing them to delete the team.",
    });
    expect(await run(ada, (tx, actor) => deleteTeam(tx, actor, { teamId: id, shares: "remove" }))).toMatchObject({ sharesRemoved: 2 });
    expect(await findTeam(database.db, accountId, id)).toBeNull();
    expect((await findResource(database.db, accountId, board))!.shares).toEqual([]);
    const actions = (await database.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, id))).map((row) => row.action);
    expect(actions).toEqual(["team.created", "team.members_changed", "team.archived", "team.restored", "team.deleted"]);
  });

  it("edits a team: name, lead, quotas and members; a lower quota than its usage refuses what would grow it, audited", async () => {
    const { id } = await run(ada, (tx, actor) => createTeam(tx, actor, teamInput.parse({ name: "Data", description: "", leadId: lee.id, memberIds: [mo.id], maxApps: "3" })));
    await insertResource(database.db, { accountId, ownerId: mo.id, kind: "app", name: "Mo's app", parentId: null, teamId: id, cpuMillis: null, memoryMb: null, storageGb: null, allUsers: false });
    await run(ada, (tx, actor) => createTeam(tx, actor, teamInput.parse({ name: "Support", description: "", leadId: null, memberIds: [] })));
    expect(await refusalOf(run(ada, (tx, actor) => editTeam(tx, actor, { ...teamInput.parse({ name: "Support", description: "", leadId: null, memberIds: [] }), teamId: id })))).toMatchObject({ message: "There is already a team called Support." });
    await run(ada, (tx, actor) => editTeam(tx, actor, { ...teamInput.parse({ name: "Data science", description: "Models", leadId: mo.id, memberIds: [lee.id], maxApps: "1" }), teamId: id }));
    const team = (await findTeam(database.db, accountId, id))!;
    expect(team).toMatchObject({ name: "Data science", description: "Models", leadId: mo.id, maxApps: 1, usage: expect.objectContaining({ apps: 1 }) });
    // The lead is always in the team.
    expect(team.members.map((member) => member.name).sort()).toEqual(["Lee", "Mo"]);
    // At its quota already: one app more is refused, naming it.
    expect(await refusalOf(run(mo, (tx, actor) => createResource(tx, actor, createResourceInput.parse({ kind: "app", name: "Second", teamId: id }))))).toMatchObject({
      message: "This would pass the Data science team's apps quota: 1 app of 1 app in use, and this needs 1 app more.",
    });
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "team.updated"));
    expect(event).toMatchObject({ targetId: id, details: expect.objectContaining({ name: "Data science", before: expect.objectContaining({ name: "Data", leadId: lee.id }) }) });
  });
});
