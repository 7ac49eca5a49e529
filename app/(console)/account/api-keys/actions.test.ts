import { insertMembers } from "@/db/queries/users";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, apiKeys, auditEvents, emailOutbox, stepUpChallenges, type User } from "@/db/schema";
import type { CurrentUser } from "@/lib/auth/session";
import { readBody } from "@/lib/email";

// The session is the browser's cookie; here the test says who is calling. Everything
// after it — role checks, step-up, the database, the outbox — is the real code.
const caller: { user: CurrentUser | null } = { user: null };
vi.mock("@/lib/auth/session", () => ({
  requireUser: async () => {
    if (!caller.user) throw new Error("NEXT_REDIRECT /sign-in");
    return caller.user;
  },
}));
vi.mock("@/lib/request", () => ({ requestContext: async () => ({ ip: "203.0.113.7", userAgent: "vitest-agent" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { createApiKeyAction } = await import("./actions");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let admin: User, member: User;

const as = (user: User) => (caller.user = currentUserOf(user));
const count = async (table: typeof apiKeys | typeof stepUpChallenges) => (await database.db.select().from(table)).length;
const emailsTo = (user: { email: string }, kind: string) =>
  database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.kind, kind)))
    .orderBy(desc(emailOutbox.createdAt));
const latestCode = async (user: { email: string }) => readBody((await emailsTo(user, "step-up-code"))[0])!.text.match(/code is (\d{6})/)![1];

/** Both steps, as the "Verify it's you" dialog runs them. */
async function createWithCode(input: unknown) {
  const first = await createApiKeyAction(input);
  if (!first.stepUp) return first;
  return createApiKeyAction(input, { challengeId: first.stepUp.challengeId, code: await latestCode(caller.user!) });
}

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  [admin, member] = await insertMembers(database.db, [
      { accountId: acme.id, email: "admin@acme.test", name: "Ada", roles: ["admin"], status: "active" },
      { accountId: acme.id, email: "mo@acme.test", name: "Mo", status: "active" },
    ]);
});
afterAll(() => database.close());

describe("creating an API key with scopes (P6, S1)", () => {
  it("needs at least one scope, from the list: a field error, no code sent, no key", async () => {
    as(admin);
    for (const scopes of [[], undefined, ["members:delete"]]) {
      const result = await createApiKeyAction({ name: "No scope", expiresInDays: 30, scopes });
      expect(result.ok).toBe(false);
      expect(result.stepUp).toBeUndefined();
      expect(!result.ok && "fieldErrors" in result && result.fieldErrors?.scopes).toMatch(/Choose (at least one scope|scopes from the list)/);
    }
    expect(await count(stepUpChallenges)).toBe(0);
    expect(await count(apiKeys)).toBe(0);
  });

  it("refuses members:* scopes to a secondary user before any code is sent", async () => {
    as(member);
    for (const scopes of [["members:read"], ["profile:read", "members:write"]]) {
      const result = await createApiKeyAction({ name: "Sneaky", expiresInDays: null, scopes });
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/Your roles do not allow a key with these scopes: members:/) });
    }
    expect(await count(stepUpChallenges)).toBe(0);
    expect(await count(apiKeys)).toBe(0);
  });

  it("binds the code to the scopes: a code sent for a read-only key cannot create a writing one", async () => {
    as(admin);
    const readOnly = { name: "Export", expiresInDays: 30, scopes: ["profile:read", "members:read"] };
    const first = await createApiKeyAction(readOnly);
    expect(first.stepUp?.action).toBe('create the API key "Export" with the scopes profile:read, members:read');
    const proof = { challengeId: first.stepUp!.challengeId, code: await latestCode(admin) };
    const misuse = await createApiKeyAction({ ...readOnly, scopes: [...readOnly.scopes, "members:write"] }, proof);
    expect(misuse).toMatchObject({ ok: false, error: expect.stringMatching(/issued for a different action/) });
    expect(await count(apiKeys)).toBe(0);
  });

  it("creates the key with its scopes, audits them and emails the owner everything but the key", async () => {
    as(admin);
    // Order and repeats do not matter: the catalogue's order is kept.
    const result = await createWithCode({ name: "Offboarding bot", expiresInDays: 90, scopes: ["members:write", "members:read", "members:write"] });
    expect(result.ok).toBe(true);
    const { key, prefix } = (result as { data: { key: string; prefix: string } }).data;
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.prefix, prefix));
    expect(row.scopes).toEqual(["members:read", "members:write"]);

    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "api_key.created"));
    expect(event.details).toMatchObject({ name: "Offboarding bot", prefix, expiresInDays: 90, scopes: ["members:read", "members:write"] });

    const [notice] = await emailsTo(admin, "security-notice");
    expect(notice.subject).toBe("A new API key was created for your Roster account");
    const text = readBody(notice)!.text;
    expect(text).toContain("Name: Offboarding bot");
    expect(text).toContain(`Key: ${prefix}…`);
    expect(text).toMatch(/members:read: Read members\n {2}- members:write: Disable and enable members/);
    expect(text).toMatch(/Expires: \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);
    expect(text).toMatch(/Created: \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);
    expect(text).toContain(`Your keys are on Personal Account → API keys (http://roster.test/account/api-keys). If this was not you, "This wasn't me" below revokes every key of yours too.`);
    expect(text).toMatch(/\/this-wasnt-me\/[A-Za-z0-9_-]{59}\n/);
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(12));
  });

  it("still needs a code for a read-only key", async () => {
    as(member);
    const first = await createApiKeyAction({ name: "Me only", expiresInDays: null, scopes: ["profile:read"] });
    expect(first.ok).toBe(false);
    expect(first.stepUp?.challengeId).toBeTruthy();
    const done = await createApiKeyAction({ name: "Me only", expiresInDays: null, scopes: ["profile:read"] }, { challengeId: first.stepUp!.challengeId, code: await latestCode(member) });
    expect(done.ok).toBe(true);
    const [notice] = await emailsTo(member, "security-notice");
    expect(readBody(notice)!.text).toContain("Expires: never");
  });
});
