import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/db/queries/audit";
import { insertResource } from "@/db/queries/resources";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import {
  accessReviewLines,
  accessReviews,
  accounts,
  apiKeys,
  auditEvents,
  emailOutbox,
  joinRequests,
  passkeys,
  profiles,
  resources,
  scimIdentities,
  sessions,
  signInAttempts,
  userProperties,
  userPropertyValues,
  users,
  type User,
} from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { issueStepUpChallenge } from "@/lib/auth/step-up";
import { enqueueEmail, readBody } from "@/lib/email";
import { anonymiseMember, deleteMember, tiesOf, transferOwnership } from "./leaving";
import { disableMember, enableMember } from "./members";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let ada: User, zed: User, kim: User, rex: User, accountId: string;
const request = { ip: "203.0.113.5", userAgent: "vitest" };
type Tx = Parameters<Parameters<typeof database.db.transaction>[0]>[0];
type Actor = { principal: Awaited<ReturnType<typeof principalFromDatabase>>; request: typeof request };
/** The actor is loaded before the transaction: PGlite has one connection. */
const run = async <T>(user: User, work: (tx: Tx, actor: Actor) => Promise<T>) => {
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
const own = (owner: User, kind: "dashboard" | "workflow" | "chat", name: string) =>
  insertResource(database.db, { accountId, ownerId: owner.id, kind, name, parentId: null, teamId: null, cpuMillis: null, memoryMb: null, storageGb: null, allUsers: false });

/** postgres.js returns the rows, PGlite `{ rows }`. */
const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/**
 * T4: every text, varchar, JSON and array column of every table in the database, searched
 * for each needle (case-insensitive). Returns "table.column" for each hit.
 */
async function whereInDatabase(needles: string[]): Promise<string[]> {
  const columns = rowsOf<{ table_name: string; column_name: string }>(
    await database.db.execute(sql`
      select c.table_name, c.column_name from information_schema.columns c join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
        and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb') or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))
      order by c.table_name, c.column_name`),
  );
  expect([...new Set(columns.map((column) => column.table_name))].sort()).toEqual([...REVIEWED_TABLES].sort());
  const hits: string[] = [];
  for (const { table_name, column_name } of columns) {
    for (const needle of needles) {
      const found = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from ${sql.identifier(table_name)} where ${sql.identifier(column_name)}::text ilike ${`%${needle}%`}`));
      if (Number(found[0].n) > 0) hits.push(`${table_name}.${column_name} (${needle})`);
    }
  }
  // Queued bodies are encrypted (the text search above sees ciphertext): read each one as sent.
  for (const row of await database.db.select().from(emailOutbox)) {
    const body = JSON.stringify(readBody(row) ?? "").toLowerCase();
    for (const needle of needles) if (body.includes(needle.toLowerCase())) hits.push(`email_outbox.body_encrypted, decrypted (${needle})`);
  }
  return hits;
}

/**
 * Every table with a text or JSON column, as reviewed for the member's personal data when
 * anonymising was written: erased or rewritten by eraseMemberData (db/queries/erasure.ts), or
 * holding none (keys, hashes, settings, content names). A new table fails this list until it
 * is reviewed the same way — and, if it can hold a name or address, erased and seeded above.
 */
const REVIEWED_TABLES = [
  "access_review_lines", "access_review_reminders", "access_reviews", "access_rules", "accounts", "api_keys", "app_roles",
  "app_subscriptions", "applications", "audit_chain_heads", "audit_events", "backup_codes", "custom_roles", "email_outbox",
  "expiry_notices", "identity_provider_tests", "identity_providers", "invitations", "jobs", "join_requests", "lines_of_business",
  "passkeys", "password_resets", "profiles", "rate_limits", "resources", "role_grants", "scim_identities", "scim_tokens",
  "seen_devices", "sessions", "sign_in_attempts", "sign_in_grants", "slack_connections", "slack_request_receipts",
  "step_up_challenges", "sub_accounts", "teams", "this_wasnt_me_links", "units", "user_properties", "user_property_values",
  "users", "verified_domains", "webauthn_challenges",
];

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Leaving Ltd" }).returning();
  accountId = account.id;
  [ada, zed, kim, rex] = await insertMembers(database.db, [
    { accountId, email: "ada@leaving.test", name: "Ada Admin", status: "active", roles: ["admin"], passwordHash: "x" },
    { accountId, email: "zed.quinlan@leaving.test", name: "Zed Quinlan", status: "active", roles: ["member"], passwordHash: "x", ssoSubject: "idp|zed-quinlan-4411", location: null },
    { accountId, email: "kim@leaving.test", name: "Kim Keeper", status: "active", roles: ["member"], passwordHash: "x" },
    { accountId, email: "rex@leaving.test", name: "Rex Rover", status: "active", roles: ["member"], passwordHash: "x" },
  ]);
});
afterAll(() => database.close());

describe("delete only without ties (T4)", () => {
  it("refuses to delete someone who owns things, listing them; after a transfer it deletes, audited", async () => {
    const board = await own(rex, "dashboard", "Rex board");
    await own(rex, "workflow", "Rex flow");
    await own(rex, "workflow", "Rex flow 2");
    expect(await tiesOf(database.db, rex)).toEqual([
      { kind: "workflow", count: 2 },
      { kind: "dashboard", count: 1 },
    ]);
    expect(await refusalOf(run(ada, (tx, actor) => deleteMember(tx, actor, { userId: rex.id })))).toEqual({
      code: "conflict",
      message: "Rex Rover owns 2 workflows, 1 dashboard: transfer them to someone else first, or disable or anonymise Rex Rover instead.",
    });
    // Some, then the rest.
    expect(await run(ada, (tx, actor) => transferOwnership(tx, actor, { fromUserId: rex.id, toUserId: kim.id, resourceIds: [board] }))).toMatchObject({ moved: 1 });
    expect(await run(ada, (tx, actor) => transferOwnership(tx, actor, { fromUserId: rex.id, toUserId: kim.id, resourceIds: null }))).toMatchObject({ moved: 2 });
    // A member may not do it (to them, nobody is there to delete).
    expect(await refusalOf(run(kim, (tx, actor) => deleteMember(tx, actor, { userId: rex.id })))).toMatchObject({ code: "not_found" });
    await run(ada, (tx, actor) => deleteMember(tx, actor, { userId: rex.id }));
    expect(await database.db.select().from(users).where(eq(users.id, rex.id))).toEqual([]);
    const actions = (await database.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.accountId, accountId))).map((row) => row.action);
    expect(actions).toEqual(["resource.ownership_transferred", "resource.ownership_transferred", "member.deleted"]);
    expect(await whereInDatabase(["rex@leaving.test", "Rex Rover"])).toEqual([]);
    expect((await verifyAuditChain(database.db, accountId)).broken).toBeNull();
  });
});

describe("anonymise (T4, GDPR)", () => {
  it("overwrites every trace of the name and address, keeps content and the audit trail pointing at the placeholder, and the chain still verifies", async () => {
    const content = await own(zed, "chat", "Zed's notes");
    await database.db.insert(profiles).values({ userId: zed.id, phone: "+44 7700 900123", avatar: Buffer.from("RIFF zed's photo WEBP"), avatarUpdatedAt: new Date() });
    const [site] = await database.db.insert(userProperties).values({ accountId, key: "site", label: "Site", type: "text" }).returning();
    await database.db.insert(userPropertyValues).values({ userId: zed.id, propertyId: site.id, value: "Zed Quinlan's desk" });
    await database.db.insert(passkeys).values({ userId: zed.id, credentialId: "cred-zed", publicKey: Buffer.from([1, 2, 3]), aaguid: "0", deviceType: "singleDevice", backedUp: false, name: "Zed Quinlan's phone" });
    await database.db.insert(sessions).values({ idHash: "zed-session", userId: zed.id, expiresAt: new Date(Date.now() + 3_600_000), lastSeenAt: new Date(), ip: "198.51.100.7", userAgent: "Firefox" });
    await database.db.insert(apiKeys).values({ accountId, userId: zed.id, name: "Zed Quinlan's laptop", prefix: "rst_zed", keyHash: "zedhash", scopes: ["profile:read"] });
    // The audit trail names them (disable, enable), and mail about them waits in the queue.
    await run(ada, (tx, actor) => disableMember(tx, actor, { userId: zed.id }));
    await run(ada, (tx, actor) => enableMember(tx, actor, { userId: zed.id }));
    await database.db.transaction(async (tx) => {
      await enqueueEmail(tx, { accountId, to: zed.email, userId: zed.id, subject: "Hello Zed Quinlan", text: "Dear Zed Quinlan", kind: "notice" });
      await enqueueEmail(tx, { accountId, to: ada.email, subject: "About Zed Quinlan", text: "Zed Quinlan (zed.quinlan@leaving.test) was disabled.", kind: "notice" });
      await issueStepUpChallenge(tx, { id: ada.id, accountId, email: ada.email, sessionId: "s", ssoManaged: false }, { action: "member.anonymise", actionLabel: "anonymise Zed Quinlan", targetId: zed.id, params: { userId: zed.id } });
    });
    // Their sign-in history (and an attempt at their address before it was anyone's), what the IdP
    // knows them by, a request to join at their address, and access reviews: of them, started and decided by them.
    await database.db.insert(signInAttempts).values([
      { accountId, userId: zed.id, email: zed.email, result: "success", method: "password", ip: "198.51.100.7", userAgent: "Firefox" },
      { accountId: null, userId: null, email: zed.email, result: "unknown_email", method: "password" },
    ]);
    await database.db.insert(scimIdentities).values({ userId: zed.id, accountId, userName: "ZQuinlan@leaving.test", externalId: "zed-quinlan-entra", givenName: "Zed", familyName: "Quinlan" });
    await database.db.insert(joinRequests).values({ accountId, email: zed.email, name: "Zed Quinlan", ssoSubject: "idp|zed-quinlan-again" });
    const [review] = await database.db.insert(accessReviews).values({ accountId, name: "Q4", inactiveDays: 90, startedBy: zed.id, startedByName: "Zed Quinlan", startedAt: new Date() }).returning();
    await database.db.insert(accessReviewLines).values([
      { reviewId: review.id, accountId, userId: zed.id, email: zed.email, name: "Zed Quinlan", reason: "inactive", why: "Zed Quinlan: last active 3 March 2026", subject: { kind: "person" } },
      { reviewId: review.id, accountId, userId: kim.id, email: kim.email, name: kim.name, reason: "inactive", why: "Last active 3 March 2026", subject: { kind: "person" }, decision: "keep", decidedBy: zed.id, decidedByName: "Zed Quinlan", decidedAt: new Date() },
    ]);
    expect((await whereInDatabase(["zed.quinlan@leaving.test", "Zed Quinlan"])).length).toBeGreaterThan(10);

    expect(await refusalOf(run(ada, (tx, actor) => anonymiseMember(tx, actor, { userId: zed.id, confirmEmail: "zed@leaving.test" })))).toEqual({
      code: "invalid",
      message: "Type zed.quinlan@leaving.test exactly to confirm.",
    });
    const { placeholder } = await run(ada, (tx, actor) => anonymiseMember(tx, actor, { userId: zed.id, confirmEmail: "Zed.Quinlan@leaving.test" }));
    expect(placeholder).toMatch(/^Former member [0-9A-F]{4}$/);

    expect(await whereInDatabase(["zed.quinlan@leaving.test", "Zed Quinlan", "+44 7700 900123", "idp|zed-quinlan", "ZQuinlan", "zed-quinlan-entra"])).toEqual([]);
    // The history and the evidence keep their rows, under the placeholder.
    expect(await database.db.select({ email: signInAttempts.email }).from(signInAttempts).where(eq(signInAttempts.userId, zed.id))).toHaveLength(1);
    expect((await database.db.select().from(accessReviewLines).where(eq(accessReviewLines.reviewId, review.id))).map((line) => line.decidedByName ?? line.name).sort()).toEqual([placeholder, placeholder]);
    const [after] = await database.db.select().from(users).where(eq(users.id, zed.id));
    // The photo is no text column the search reads: gone all the same.
    expect(await database.db.select({ avatar: profiles.avatar, phone: profiles.phone }).from(profiles).where(eq(profiles.userId, zed.id))).toEqual([{ avatar: null, phone: null }]);
    expect(after).toMatchObject({ name: placeholder, status: "disabled", ssoSubject: null, passwordHash: null });
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, zed.id))).toEqual([]);
    expect(await database.db.select().from(apiKeys).where(eq(apiKeys.userId, zed.id))).toEqual([]);
    // The content stays, owned by the placeholder; the mail to them is gone, the mail about them reads the placeholder.
    expect(await database.db.select({ ownerId: resources.ownerId }).from(resources).where(eq(resources.id, content))).toEqual([{ ownerId: zed.id }]);
    const mail = await database.db.select().from(emailOutbox);
    expect(mail.filter((row) => row.userId === zed.id)).toEqual([]);
    const about = mail.find((row) => row.subject === `About ${placeholder}`)!;
    expect(readBody(about)?.text).toBe(`${placeholder} (${after.email}) was disabled.`);
    // The audit trail still names the same person — the placeholder — and verifies.
    const trail = await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, zed.id));
    expect(trail.map((row) => row.action)).toEqual(["member.disabled", "member.enabled", "member.anonymised"]);
    expect(trail[0].details).toMatchObject({ email: after.email });
    expect(trail[2].details).toMatchObject({ placeholder, auditRowsRewritten: 2 });
    expect((await verifyAuditChain(database.db, accountId)).broken).toBeNull();
    // For good: enabling the placeholder is refused.
    expect(await refusalOf(run(ada, (tx, actor) => enableMember(tx, actor, { userId: zed.id })))).toMatchObject({
      message: "This member was anonymised: nobody can be them again. Invite the person anew if they come back.",
    });
    // Twice is refused.
    expect(await refusalOf(run(ada, (tx, actor) => anonymiseMember(tx, actor, { userId: zed.id, confirmEmail: after.email })))).toMatchObject({ message: "This member has been anonymised already." });
  });
});
