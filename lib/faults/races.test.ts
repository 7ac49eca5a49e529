import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, apiKeys, auditEvents, invitations, users, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { createApiKey, revokeApiKey } from "@/lib/api-keys";
import { recordAuditBy } from "@/lib/audit";
import { inviteMember, revokeInvitation } from "@/lib/team/invitations";
import { disableMember, enableMember } from "@/lib/team/members";
import { race } from "./race";

// Races between two admins, on the operations both the console's actions and /api/v1 run,
// each in its own transaction as a request's. With DATABASE_URL the transactions overlap
// for real on the server (row locks decide); on PGlite they run one after the other.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
const request = { ip: "203.0.113.9", userAgent: "vitest" };

beforeAll(async () => {
  database = await useFreshDatabase();
});
afterAll(() => database.close());

async function account(name: string) {
  const [row] = await database.db.insert(accounts).values({ name }).returning();
  const domain = `${name.toLowerCase().replace(/\W/g, "")}.test`;
  const [ada, bo, mo] = await insertMembers(database.db, [
    { accountId: row.id, email: `ada@${domain}`, name: "Ada", roles: ["admin"], status: "active" },
    { accountId: row.id, email: `bo@${domain}`, name: "Bo", roles: ["admin"], status: "active" },
    { accountId: row.id, email: `mo@${domain}`, name: "Mo", roles: ["member"], status: "active" },
  ]);
  return { account: row, ada, bo, mo };
}
const actorOf = async (user: User) => ({ principal: await principalFromDatabase(database.db, user), request });
const inTransaction = <T>(body: Parameters<typeof database.db.transaction<T>>[0]) => () => database.db.transaction(body);
const statusOf = async (id: string) => (await database.db.select({ status: users.status }).from(users).where(eq(users.id, id)))[0]?.status;
const auditOf = (targetId: string) =>
  database.db.select({ action: auditEvents.action, actorId: auditEvents.actorId }).from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(asc(auditEvents.id));
const refusals = (results: PromiseSettledResult<unknown>[]) =>
  results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => (r.reason instanceof ActionRefusal ? r.reason.message : `not a refusal: ${String(r.reason)} ${String((r.reason as { cause?: unknown }).cause)}`));
const fulfilled = (results: PromiseSettledResult<unknown>[]) => results.filter((r) => r.status === "fulfilled").length;
const lockRows = (table: string, ids: string[]) => `select 1 from ${table} where id in (${ids.map((id) => `'${id}'`).join(", ")}) for update`;

describe("two admins at the same moment", () => {
  it("disable each other: one of them is disabled, the other refused, and the account keeps an Admin", async () => {
    const { account: acme, ada, bo } = await account("Mutual Co");
    const [asAda, asBo] = [await actorOf(ada), await actorOf(bo)];
    const results = await race(database.url, lockRows("users", [ada.id, bo.id]), [
      inTransaction((tx) => disableMember(tx, asAda, { userId: bo.id })),
      inTransaction((tx) => disableMember(tx, asBo, { userId: ada.id })),
    ]);
    expect(fulfilled(results)).toBe(1);
    expect(refusals(results)).toEqual(["An account must keep at least one active Admin."]);
    const statuses = [await statusOf(ada.id), await statusOf(bo.id)].sort();
    expect(statuses).toEqual(["active", "disabled"]);
    // One audit record, for the one change, about the one disabled.
    const disabled = (await statusOf(ada.id)) === "disabled" ? ada : bo;
    const events = await database.db.select().from(auditEvents).where(and(eq(auditEvents.accountId, acme.id), eq(auditEvents.action, "member.disabled")));
    expect(events.map((e) => e.targetId)).toEqual([disabled.id]);
  });

  it("revoke the same invitation: it is revoked once, audited once, and the second is told", async () => {
    const { ada, bo } = await account("Twice Revoked Co");
    const [asAda, asBo] = [await actorOf(ada), await actorOf(bo)];
    const { userId } = await database.db.transaction((tx) => inviteMember(tx, asAda, { email: "newbie@twice.test", name: "", roles: ["member"] }));
    const results = await race(database.url, lockRows("users", [userId]), [
      inTransaction((tx) => revokeInvitation(tx, asAda, { userId })),
      inTransaction((tx) => revokeInvitation(tx, asBo, { userId })),
    ]);
    expect(fulfilled(results)).toBe(1);
    expect(refusals(results)).toEqual(["No such member in this account."]);
    expect(await statusOf(userId)).toBeUndefined();
    const [invitation] = await database.db.select().from(invitations).where(eq(invitations.email, "newbie@twice.test"));
    expect(invitation.revokedAt).not.toBeNull();
    expect((await auditOf(userId)).map((e) => e.action)).toEqual(["member.invited", "invitation.revoked"]);
  });

  for (const start of ["active", "disabled"] as const) {
    it(`enable and disable a member who is ${start}: the end state is the last change that happened, each change audited once`, async () => {
      const { ada, bo, mo } = await account(`Tug ${start} Co`);
      const [asAda, asBo] = [await actorOf(ada), await actorOf(bo)];
      if (start === "disabled") await database.db.transaction((tx) => disableMember(tx, asAda, { userId: mo.id }));
      const before = (await auditOf(mo.id)).length;
      const results = await race<unknown>(database.url, lockRows("users", [mo.id]), [
        inTransaction((tx) => enableMember(tx, asAda, { userId: mo.id })),
        inTransaction((tx) => disableMember(tx, asBo, { userId: mo.id })),
      ]);
      const changes = (await auditOf(mo.id)).slice(before).map((e) => e.action);
      // Every change that went through is audited once; every other one was refused.
      expect(changes).toHaveLength(fulfilled(results));
      for (const message of refusals(results)) expect(["Only disabled members can be enabled.", "This member is already disabled."]).toContain(message);
      expect(changes.length).toBeGreaterThanOrEqual(1);
      // Replaying the audit log gives the member's state: the record and the change agree.
      expect(await statusOf(mo.id)).toBe(changes.at(-1) === "member.enabled" ? "active" : "disabled");
    });
  }

  it("revoke the same API key twice: revoked once, one audit record", async () => {
    const { ada } = await account("Key Co");
    const owner = await principalFromDatabase(database.db, ada);
    const created = await database.db.transaction((tx) => createApiKey(tx, owner, { name: "ci", expiresInDays: null, scopes: ["profile:read"] }));
    const [key] = await database.db.select().from(apiKeys).where(eq(apiKeys.prefix, created.prefix));
    // What the console's revoke action runs (app/(console)/account/api-keys/actions.ts).
    const revoke = inTransaction(async (tx) => {
      const revoked = await revokeApiKey(tx, owner, key.id);
      if (!revoked) throw new ActionRefusal("No such API key.", "invalid");
      await recordAuditBy(tx, { principal: owner, request }, { action: "api_key.revoked", target: { type: "api_key", id: revoked.id }, details: { name: revoked.name, prefix: revoked.prefix } });
      return revoked;
    });
    const results = await race(database.url, lockRows("api_keys", [key.id]), [revoke, revoke]);
    expect(fulfilled(results)).toBe(1);
    expect(refusals(results)).toEqual(["No such API key."]);
    expect((await auditOf(key.id)).map((e) => e.action)).toEqual(["api_key.revoked"]);
    const [row] = await database.db.select().from(apiKeys).where(inArray(apiKeys.id, [key.id]));
    expect(row.revokedAt).not.toBeNull();
  });
});
