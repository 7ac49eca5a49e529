import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rolesOfMember } from "@/db/queries/roles";
import { insertMembers } from "@/db/queries/users";
import { principalFromDatabase, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, identityProviders, joinRequests, users, verifiedDomains, type IdentityProvider, type User } from "@/db/schema";
import { ActionRefusal } from "@/lib/actions/refusal";
import { encrypt } from "@/lib/crypto";
import { resolveSsoMember } from "@/lib/sso/members";
import { findProviderForEmail } from "@/lib/sso/providers";
import { startDnsServer } from "@/e2e/mock-servers/dns";
import { txtLookup, verificationRecord } from "./dns";
import { addDomain, removeDomain, setDomainPolicy, verifyDomain } from "./domains";
import { approveJoinRequest, declineJoinRequest } from "./join";

// B5: verified domains on a real database and a real DNS server (dns2, in-process) — a
// domain is verified only by its TXT record, one account holds it, and only a verified
// domain lets people in through the IdP: automatically, or after approval.
let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let dns: Awaited<ReturnType<typeof startDnsServer>>;
let ada: User, gil: User;
let idp: IdentityProvider;
const request = { ip: "203.0.113.7", userAgent: "vitest" };
const context = { ip: null, userAgent: null };
const as = async (user: User) => ({ principal: await principalFromDatabase(database.db, user), request });
type Tx = Parameters<Parameters<typeof database.db.transaction>[0]>[0];
type Actor = Awaited<ReturnType<typeof as>>;
const refusalOf = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (error) {
    if (error instanceof ActionRefusal) return error.message;
    throw error;
  }
  return null;
};
const lookup = () => txtLookup(`127.0.0.1:${dns.port}`);
// The actor is loaded before the transaction: PGlite serves one connection at a time.
const act = async <I, T>(user: User, operation: (tx: Tx, actor: Actor, input: I) => Promise<T>, input: I) => {
  const actor = await as(user);
  return database.db.transaction((tx) => operation(tx, actor, input));
};
const add = (user: User, domain: string) => act(user, addDomain, { domain });
const verify = (user: User, domainId: string) => act(user, (tx, actor, input: { domainId: string }) => verifyDomain(tx, actor, input, lookup()), { domainId });
const signIn = (sub: string, email: string) => database.db.transaction((tx) => resolveSsoMember(tx, idp, { sub, email, emailVerified: true, name: "New Person" }, context));

beforeAll(async () => {
  database = await useFreshDatabase();
  dns = await startDnsServer(0);
  const [acme, globex] = await database.db.insert(accounts).values([{ name: "Acme" }, { name: "Globex" }]).returning();
  [ada, gil] = await insertMembers(database.db, [
    { accountId: acme.id, email: "ada@acme.test", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId: globex.id, email: "gil@globex.test", status: "active", passwordHash: "x", roles: ["admin"] },
  ]);
  [idp] = await database.db
    .insert(identityProviders)
    .values({ accountId: acme.id, slug: "acme", issuer: "https://idp.example", clientId: "c", clientSecretEncrypted: encrypt("s"), emailDomains: ["acme.test", "acme.example", "late.test"] })
    .returning();
});
afterAll(async () => {
  await dns.close();
  await database.close();
});

describe("verified domains (B5)", () => {
  it("is verified only when its TXT record carries the token, and says precisely why not", async () => {
    const added = await add(ada, "ACME.test");
    expect(added.record).toEqual(verificationRecord("acme.test", added.record.value.replace("roster-verification=", "")));
    expect(added.record.name).toBe("_roster-verification.acme.test");

    expect(await refusalOf(verify(ada, added.id))).toBe("acme.test is not verified: no TXT record was found at _roster-verification.acme.test.");
    dns.publishTxt(added.record.name, "roster-verification=someone-elses-token");
    expect(await refusalOf(verify(ada, added.id))).toBe(`acme.test is not verified: the TXT records at _roster-verification.acme.test do not include ${added.record.value}.`);
    const [pending] = await database.db.select().from(verifiedDomains).where(eq(verifiedDomains.id, added.id));
    expect(pending.verifiedAt).toBeNull();

    dns.publishTxt(added.record.name, added.record.value);
    expect(await verify(ada, added.id)).toEqual({ domain: "acme.test", verified: true });
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "domain.verified"));
    expect(events.map((e) => [e.actorId, e.targetId])).toEqual([[ada.id, "acme.test"]]);
  });

  it("is held verified by one account only; another's ID reads as not found", async () => {
    const claimed = await add(gil, "acme.test");
    dns.publishTxt(claimed.record.name, claimed.record.value);
    expect(await refusalOf(verify(gil, claimed.id))).toBe("acme.test is not verified: another account has verified it.");
    const ours = (await database.db.select().from(verifiedDomains).where(eq(verifiedDomains.accountId, ada.accountId)))[0];
    expect(await refusalOf(verify(gil, ours.id))).toBe("That domain is not on this account's list.");
    expect(await refusalOf(act(gil, removeDomain, { domainId: ours.id }))).toBe("That domain is not on this account's list.");
  });

  it("a DNS server that does not answer is named as the reason", async () => {
    const added = await add(ada, "acme.example");
    const failed = await refusalOf(act(ada, (tx, actor, input: { domainId: string }) => verifyDomain(tx, actor, input, async () => ({ ok: false, reason: "the DNS lookup failed (ETIMEOUT)" })), { domainId: added.id }));
    expect(failed).toBe("acme.example is not verified: the DNS lookup failed (ETIMEOUT).");
  });
});

describe("joining through the identity provider by a verified domain (B5)", () => {
  it("an unverified domain grants nothing: no member, no request, and no SSO routing", async () => {
    // acme.example is on the IdP's list and added, but not verified.
    const before = (await database.db.select().from(users)).length;
    expect(await signIn("sub-unverified", "newcomer@acme.example")).toEqual({ ok: false, code: "domain" });
    expect((await database.db.select().from(users)).length).toBe(before);
    expect(await database.db.select().from(joinRequests)).toEqual([]);
    expect(await findProviderForEmail(database.db, "newcomer@acme.example")).toBeNull();
    expect((await findProviderForEmail(database.db, "newcomer@acme.test"))?.slug).toBe("acme");
  });

  it("joins automatically with the domain's default role", async () => {
    const [domain] = await database.db.select().from(verifiedDomains).where(and(eq(verifiedDomains.accountId, ada.accountId), eq(verifiedDomains.domain, "acme.test")));
    await act(ada, setDomainPolicy, { domainId: domain.id, joinMode: "auto", defaultRole: "viewer" });
    const joined = await signIn("sub-auto", "Auto.Joiner@acme.test");
    expect(joined).toMatchObject({ ok: true, created: true });
    const [row] = await database.db.select().from(users).where(eq(users.email, "auto.joiner@acme.test"));
    expect(row).toMatchObject({ status: "active", ssoSubject: "sub-auto", accountId: ada.accountId });
    expect((await rolesOfMember(database.db, row.id)).map((r) => r.key)).toEqual(["viewer"]);
  });

  it("waits for approval, then joins when an administrator approves — or not, when declined", async () => {
    const [domain] = await database.db.select().from(verifiedDomains).where(and(eq(verifiedDomains.accountId, ada.accountId), eq(verifiedDomains.domain, "acme.test")));
    await act(ada, setDomainPolicy, { domainId: domain.id, joinMode: "approval", defaultRole: "member" });
    expect(await signIn("sub-wait", "waiting@acme.test")).toEqual({ ok: false, code: "pending" });
    // Signing in again while waiting asks once.
    expect(await signIn("sub-wait", "waiting@acme.test")).toEqual({ ok: false, code: "pending" });
    expect(await database.db.select().from(users).where(eq(users.email, "waiting@acme.test"))).toEqual([]);
    const requests = await database.db.select().from(joinRequests);
    expect(requests.map((r) => r.email)).toEqual(["waiting@acme.test"]);

    // Another account's administrator cannot approve it.
    expect(await refusalOf(act(gil, approveJoinRequest, { requestId: requests[0].id }))).toBe("That request is no longer waiting.");
    await act(ada, approveJoinRequest, { requestId: requests[0].id });
    const approved = await signIn("sub-wait", "waiting@acme.test");
    expect(approved).toMatchObject({ ok: true, created: false });
    const [row] = await database.db.select().from(users).where(eq(users.email, "waiting@acme.test"));
    expect((await rolesOfMember(database.db, row.id)).map((r) => r.key)).toEqual(["member"]);

    expect(await signIn("sub-declined", "declined@acme.test")).toEqual({ ok: false, code: "pending" });
    const [declined] = await database.db.select().from(joinRequests);
    await act(ada, declineJoinRequest, { requestId: declined.id });
    expect(await database.db.select().from(joinRequests)).toEqual([]);
    expect(await database.db.select().from(users).where(eq(users.email, "declined@acme.test"))).toEqual([]);
    const events = (await database.db.select().from(auditEvents).where(eq(auditEvents.accountId, ada.accountId))).map((e) => e.action);
    expect(events).toEqual(expect.arrayContaining(["join.requested", "join.approved", "join.declined", "domain.policy_changed"]));
  });

  it("a removed domain grants nothing any more", async () => {
    const added = await add(ada, "late.test");
    dns.publishTxt(added.record.name, added.record.value);
    await verify(ada, added.id);
    await act(ada, removeDomain, { domainId: added.id });
    expect(await signIn("sub-late", "someone@late.test")).toEqual({ ok: false, code: "domain" });
  });
});
