import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { describeIdentityProvider } from "@/db/queries/connections";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, identityProviders, identityProviderTests, slackConnections, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { resetConfigForTests } from "@/lib/config";
import { decrypt } from "@/lib/crypto";
import { connectSlack, disconnectSlack } from "@/lib/slack/settings";
import { identityProviderInput, removeIdentityProvider, saveIdentityProvider } from "./identity-provider";
import { beginIdentityProviderTest, createIdentityProviderTest, findIdentityProviderTest, finishIdentityProviderTest } from "./idp-test";

// B5: the identity provider and Slack connections as the console and the CLI change them —
// the secret encrypted and never read back, refusals that say why, every change audited.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let ada: User, gil: User;
const request = { ip: "203.0.113.7", userAgent: "vitest" };
const as = async (user: User) => ({ principal: await principalFromDatabase(database.db, user), request });
type Tx = Parameters<Parameters<typeof database.db.transaction>[0]>[0];
type Actor = Awaited<ReturnType<typeof as>>;
const act = async <I, T>(user: User, operation: (tx: Tx, actor: Actor, input: I) => Promise<T>, input: I) => {
  const actor = await as(user);
  return database.db.transaction((tx) => operation(tx, actor, input));
};
const refusalOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    if (error instanceof ActionRefusal) return error.message;
    throw error;
  }
  return null;
};
const draft = (overrides: Record<string, unknown> = {}) =>
  identityProviderInput.parse({ slug: "acme", issuer: "https://login.acme.test/", clientId: "acme-client", clientSecret: "first-secret", emailDomains: ["Acme.test"], ...overrides });

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme, globex] = await database.db.insert(accounts).values([{ name: "Acme" }, { name: "Globex" }]).returning();
  [ada, gil] = await insertMembers(database.db, [
    { accountId: acme.id, email: "ada@acme.test", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId: globex.id, email: "gil@globex.test", status: "active", passwordHash: "x", roles: ["admin"] },
  ]);
});
afterAll(() => database.close());

/** A console on this machine (development, the e2e suite) may test an IdP on this machine over plain http. */
const asLocalConsole = () => {
  process.env.APP_URL = "http://localhost:3000";
  resetConfigForTests();
};
const deployedUrl = process.env.APP_URL;
afterEach(() => {
  process.env.APP_URL = deployedUrl;
  resetConfigForTests();
});

describe("the identity provider (B5)", () => {
  it("validates what people type: https issuers (plain http only on this machine), the Microsoft placeholder filled in, real domains", () => {
    expect(draft().issuer).toBe("https://login.acme.test");
    expect(draft().emailDomains).toEqual(["acme.test"]);
    const messageOf = (overrides: Record<string, unknown>) => identityProviderInput.safeParse(draft0(overrides)).error?.issues[0].message;
    const draft0 = (overrides: Record<string, unknown>) => ({ slug: "acme", issuer: "https://login.acme.test", clientId: "c", clientSecret: "s", emailDomains: ["acme.test"], ...overrides });
    expect(messageOf({ issuer: "http://login.acme.test" })).toBe("The issuer must use https.");
    // A deployed console (APP_URL not on this machine) does not reach its own host's ports over http.
    expect(messageOf({ issuer: "http://127.0.0.1:4020" })).toBe("The issuer must use https.");
    asLocalConsole();
    expect(draft({ issuer: "http://127.0.0.1:4020" }).issuer).toBe("http://127.0.0.1:4020");
    expect(messageOf({ issuer: "https://login.microsoftonline.com/{tenant-id}/v2.0" })).toMatch(/Replace the placeholder/);
    expect(messageOf({ emailDomains: ["not a domain"] })).toBe("Enter a domain such as example.com.");
    expect(messageOf({ emailDomains: [] })).toBe("Enter at least one email domain.");
  });

  it("stores the client secret encrypted, never shows it, keeps it when left blank, and audits without it", async () => {
    expect(await refusalOf(act(ada, saveIdentityProvider, draft({ clientSecret: "" })))).toBe("Enter the client secret.");
    await act(ada, saveIdentityProvider, draft());
    const [row] = await database.db.select().from(identityProviders).where(eq(identityProviders.accountId, ada.accountId));
    expect(row.clientSecretEncrypted).not.toContain("first-secret");
    expect(decrypt(row.clientSecretEncrypted)).toBe("first-secret");
    expect(await describeIdentityProvider(database.db, ada.accountId)).toEqual({ slug: "acme", issuer: "https://login.acme.test", clientId: "acme-client", emailDomains: ["acme.test"], ssoOnly: false, secretSet: true });

    await act(ada, saveIdentityProvider, draft({ clientSecret: "", ssoOnly: true }));
    const [kept] = await database.db.select().from(identityProviders).where(eq(identityProviders.accountId, ada.accountId));
    expect(decrypt(kept.clientSecretEncrypted)).toBe("first-secret");
    expect(kept.ssoOnly).toBe(true);

    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "identity_provider.saved"));
    expect(events.map((e) => [e.actorId, (e.details as { secretChanged: boolean }).secretChanged])).toEqual([
      [ada.id, true],
      [ada.id, false],
    ]);
    expect(JSON.stringify(events)).not.toContain("first-secret");
  });

  it("refuses another account's sign-in name, and removes only its own", async () => {
    expect(await refusalOf(act(gil, saveIdentityProvider, draft({ emailDomains: ["globex.test"] })))).toBe("Another account uses that sign-in name. Choose another.");
    expect(await refusalOf(act(gil, (tx, actor) => removeIdentityProvider(tx, actor), {}))).toBe("No identity provider is connected to this account.");
    await act(ada, (tx, actor) => removeIdentityProvider(tx, actor), {});
    expect(await describeIdentityProvider(database.db, ada.accountId)).toBeNull();
    expect((await database.db.select().from(auditEvents).where(eq(auditEvents.action, "identity_provider.removed"))).map((e) => e.actorId)).toEqual([ada.id]);
  });

  it("the CLI saves through the same operation, audited as the operator's", async () => {
    await database.db.transaction((tx) => saveIdentityProvider(tx, { operator: "cli", accountId: gil.accountId }, draft({ slug: "globex", emailDomains: ["globex.test"] })));
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.accountId, gil.accountId));
    expect(event).toMatchObject({ action: "identity_provider.saved", actorId: null, details: expect.objectContaining({ via: "cli" }) });
  });
});

describe("test sign-in (B5)", () => {
  it("keeps the draft for its starter only, and names a failed discovery", async () => {
    asLocalConsole();
    expect(await refusalOf(act(ada, createIdentityProviderTest, { ...draft({ issuer: "http://127.0.0.1:4" }), clientSecret: "" }))).toBe("Enter the client secret to test with.");
    const { testId } = await act(ada, createIdentityProviderTest, draft({ issuer: "http://127.0.0.1:4" }));
    expect(await findIdentityProviderTest(database.db, gil, testId)).toBeNull();
    const test = (await findIdentityProviderTest(database.db, ada, testId))!;
    expect(test.clientSecretEncrypted).not.toContain("first-secret");
    const begun = await beginIdentityProviderTest(database.db, test);
    expect(begun.redirectTo).toBe(`/settings/identity-provider/test/${testId}`);
    const [row] = await database.db.select().from(identityProviderTests).where(eq(identityProviderTests.id, testId));
    expect(row.outcome).toBe("failed");
    expect(row.message).toMatch(/^Discovery failed: .*ECONNREFUSED/);
  });

  it("refuses an answer whose state is not the test's (state mismatch)", async () => {
    const { testId } = await act(ada, createIdentityProviderTest, draft());
    const test = (await findIdentityProviderTest(database.db, ada, testId))!;
    await database.db.update(identityProviderTests).set({ state: "the-real-state", nonce: "n", codeVerifierEncrypted: "v" }).where(eq(identityProviderTests.id, testId));
    const started = (await findIdentityProviderTest(database.db, ada, test.id))!;
    const result = await finishIdentityProviderTest(database.db, started, new URL("http://localhost/api/connections/idp-test/callback?code=x&state=forged"));
    expect(result).toEqual({ outcome: "failed", message: expect.stringMatching(/^State mismatch:/) });
    // Settled: the flow's values are gone, so the same answer cannot be replayed.
    const [row] = await database.db.select().from(identityProviderTests).where(eq(identityProviderTests.id, testId));
    expect(row).toMatchObject({ state: null, nonce: null, codeVerifierEncrypted: null, outcome: "failed" });
  });
});

describe("the Slack workspace (B5)", () => {
  it("connects, refuses a workspace another account holds, disconnects — audited", async () => {
    await act(ada, connectSlack, { teamId: "T0ACME", teamName: "Acme HQ" });
    expect(await refusalOf(act(gil, connectSlack, { teamId: "T0ACME", teamName: "Not yours" }))).toBe("That Slack workspace is connected to another account.");
    expect(await refusalOf(act(gil, (tx, actor) => disconnectSlack(tx, actor), {}))).toBe("No Slack workspace is connected to this account.");
    await act(ada, (tx, actor) => disconnectSlack(tx, actor), {});
    expect(await database.db.select().from(slackConnections)).toEqual([]);
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.accountId, ada.accountId));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["slack.connected", "slack.disconnected"]));
  });
});
