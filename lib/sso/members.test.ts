import { rolesOfMember } from "@/db/queries/roles";
import { insertMembers } from "@/db/queries/users";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/db/testing";
import { writeScimIdentity } from "@/db/queries/scim";
import { accounts, auditEvents, identityProviders, users, verifiedDomains, type IdentityProvider } from "@/db/schema";
import { encrypt } from "@/lib/crypto";
import { resolveSsoMember } from "./members";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let idp: IdentityProvider;
const context = { ip: null, userAgent: null };

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme, globex] = await database.db.insert(accounts).values([{ name: "Acme" }, { name: "Globex" }]).returning();
  await insertMembers(database.db, [
    { accountId: acme.id, email: "pat@acme.test", status: "active", passwordHash: "x" },
    { accountId: acme.id, email: "boss@acme.test", roles: ["admin"], status: "active", passwordHash: "x" },
    { accountId: acme.id, email: "dis@acme.test", status: "disabled" },
    { accountId: globex.id, email: "spy@acme.test", status: "active" },
  ]);
  [idp] = await database.db
    .insert(identityProviders)
    .values({ accountId: acme.id, slug: "acme", issuer: "https://idp.example", clientId: "c", clientSecretEncrypted: encrypt("s"), emailDomains: ["acme.test"] })
    .returning();
  // B5: new people join only through a verified domain (lib/connections/domains.test.ts covers the rest).
  await database.db.insert(verifiedDomains).values({ accountId: acme.id, domain: "acme.test", token: "t", verifiedAt: new Date(), joinMode: "auto", defaultRole: "member" });
});
afterAll(() => database.close());

describe("SSO members (T7)", () => {
  it("creates a new person of an allowed domain just in time, then matches them by subject", async () => {
    const first = await resolveSsoMember(database.db, idp, { sub: "sub-1", email: "New.Person@acme.test", name: "New Person" }, context);
    expect(first).toMatchObject({ ok: true, created: true });
    const [row] = await database.db.select().from(users).where(eq(users.email, "new.person@acme.test"));
    expect(row).toMatchObject({ status: "active", ssoSubject: "sub-1", passwordHash: null, accountId: idp.accountId });
    expect((await rolesOfMember(database.db, row.id)).map((role) => role.key)).toEqual(["member"]);

    // The email at the IdP changed; the subject did not.
    const again = await resolveSsoMember(database.db, idp, { sub: "sub-1", email: "renamed@acme.test" }, context);
    expect(again).toEqual({ ok: true, userId: row.id, created: false });
    expect((await database.db.select().from(auditEvents).where(eq(auditEvents.action, "sso.member_created"))).length).toBe(1);
  });

  it("links an existing member of the same account by a verified email, once", async () => {
    const linked = await resolveSsoMember(database.db, idp, { sub: "sub-pat", email: "pat@acme.test", emailVerified: true }, context);
    expect(linked).toMatchObject({ ok: true, created: false });
    const other = await resolveSsoMember(database.db, idp, { sub: "sub-someone-else", email: "pat@acme.test" }, context);
    expect(other).toEqual({ ok: false, code: "conflict" });
  });

  it("does not join an existing member to an IdP identity whose email the IdP did not verify (account takeover)", async () => {
    for (const emailVerified of [undefined, null]) {
      expect(await resolveSsoMember(database.db, idp, { sub: "attacker", email: "boss@acme.test", emailVerified }, context)).toEqual({ ok: false, code: "unverified-link" });
    }
    const [boss] = await database.db.select().from(users).where(eq(users.email, "boss@acme.test"));
    expect(boss.ssoSubject).toBeNull();
  });

  it("links a member the IdP provisioned through SCIM without email_verified (Entra), but not one with a password of their own", async () => {
    const acmeId = idp.accountId;
    const [provisioned, withPassword] = await insertMembers(database.db, [
      { accountId: acmeId, email: "entra@acme.test", status: "active" },
      { accountId: acmeId, email: "entra-pw@acme.test", status: "active", passwordHash: "x" },
    ]);
    for (const member of [provisioned, withPassword]) {
      await writeScimIdentity(database.db, { id: member.id, accountId: acmeId }, { userName: member.email, externalId: `ext-${member.email}`, givenName: null, familyName: null });
    }
    expect(await resolveSsoMember(database.db, idp, { sub: "entra-sub", email: "entra@acme.test" }, context)).toEqual({ ok: true, userId: provisioned.id, created: false });
    expect(await resolveSsoMember(database.db, idp, { sub: "entra-pw-sub", email: "entra-pw@acme.test" }, context)).toEqual({ ok: false, code: "unverified-link" });
  });

  it("refuses other domains, unverified emails, disabled members and addresses of another account — creating nothing", async () => {
    const before = (await database.db.select().from(users)).length;
    expect(await resolveSsoMember(database.db, idp, { sub: "a", email: "x@elsewhere.test" }, context)).toEqual({ ok: false, code: "domain" });
    expect(await resolveSsoMember(database.db, idp, { sub: "b", email: "y@acme.test", emailVerified: false }, context)).toEqual({ ok: false, code: "no-email" });
    expect(await resolveSsoMember(database.db, idp, { sub: "c" }, context)).toEqual({ ok: false, code: "no-email" });
    expect(await resolveSsoMember(database.db, idp, { sub: "d", email: "dis@acme.test" }, context)).toMatchObject({ ok: false, code: "disabled" });
    expect(await resolveSsoMember(database.db, idp, { sub: "e", email: "spy@acme.test" }, context)).toEqual({ ok: false, code: "conflict" });
    expect((await database.db.select().from(users)).length).toBe(before);
  });
});
