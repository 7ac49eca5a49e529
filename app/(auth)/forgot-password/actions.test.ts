import { insertMembers } from "@/db/queries/users";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useFreshDatabase } from "@/db/testing";
import { accounts, emailOutbox } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { RESET_SENT_MESSAGE } from "@/lib/auth/password-reset";

// Where the request comes from is the test's to say; the limits and the database are real.
const client = { ip: "198.51.100.1" };
vi.mock("@/lib/request", () => ({ requestContext: async () => ({ ip: client.ip, userAgent: "vitest" }) }));

const { forgotPasswordAction } = await import("./actions");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let acmeId: string;
let globexId: string;

const form = (email: string) => {
  const data = new FormData();
  data.set("email", email);
  return data;
};
const resetMailCount = async (accountId?: string) =>
  (await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.kind, "password-reset"), accountId ? eq(emailOutbox.accountId, accountId) : undefined))).length;

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme, globex] = await database.db.insert(accounts).values([{ name: "Acme" }, { name: "Globex" }]).returning();
  [acmeId, globexId] = [acme.id, globex.id];
  const passwordHash = await hashPassword("Old-Password-77!");
  // 120 members in Acme (more than the account-wide cap), a few in Globex.
  await insertMembers(database.db, [
    ...Array.from({ length: 120 }, (_, i) => ({ accountId: acme.id, email: `m${i}@acme.test`, status: "active" as const, passwordHash })),
    ...Array.from({ length: 5 }, (_, i) => ({ accountId: globex.id, email: `g${i}@globex.test`, status: "active" as const, passwordHash })),
  ]);
});
afterAll(() => database.close());

describe("forgot password limits (P1)", () => {
  it("past the per-IP cap, one client gets no more reset emails sent, for any address, and the same answer", async () => {
    client.ip = "198.51.100.20";
    // 20 requests from one IP: a few unknown addresses, the rest real members of Acme.
    for (let i = 0; i < 20; i++) {
      const email = i % 5 === 0 ? `nobody${i}@acme.test` : `m${i}@acme.test`;
      expect(await forgotPasswordAction({}, form(email))).toEqual({ sent: RESET_SENT_MESSAGE });
    }
    const sentBefore = await resetMailCount();
    expect(sentBefore).toBe(16);

    // New addresses, in this account and another, each never asked for before.
    for (const email of ["m50@acme.test", "m51@acme.test", "g0@globex.test", "nobody@globex.test"]) {
      expect(await forgotPasswordAction({}, form(email))).toEqual({ sent: RESET_SENT_MESSAGE });
    }
    expect(await resetMailCount()).toBe(sentBefore);

    // Another client is not held back by this one.
    client.ip = "198.51.100.21";
    expect(await forgotPasswordAction({}, form("g0@globex.test"))).toEqual({ sent: RESET_SENT_MESSAGE });
    expect(await resetMailCount(globexId)).toBe(1);
  });

  it("past the account-wide cap, many clients together cannot mail more of one tenant's members; other tenants are unaffected", async () => {
    const acmeBefore = await resetMailCount(acmeId);
    // Each request from its own IP, each to a member not asked for yet (m52 … m119).
    const fresh = Array.from({ length: 68 }, (_, i) => `m${52 + i}@acme.test`);
    for (const [i, email] of fresh.entries()) {
      client.ip = `203.0.113.${i + 1}`;
      expect(await forgotPasswordAction({}, form(email))).toEqual({ sent: RESET_SENT_MESSAGE });
    }
    // 16 + 68 = 84 sent so far; top up to the cap of 100 with second requests for the same members.
    for (const [i, email] of fresh.slice(0, 16).entries()) {
      client.ip = `192.0.2.${i + 1}`;
      expect(await forgotPasswordAction({}, form(email))).toEqual({ sent: RESET_SENT_MESSAGE });
    }
    expect(await resetMailCount(acmeId)).toBe(100);
    expect(acmeBefore).toBe(16);

    // Over the cap: members not asked for in this window, from fresh IPs, get nothing — same answer.
    for (const [i, email] of ["m1@acme.test", "m2@acme.test", "m3@acme.test"].entries()) {
      client.ip = `192.0.2.${100 + i}`;
      expect(await forgotPasswordAction({}, form(email))).toEqual({ sent: RESET_SENT_MESSAGE });
    }
    expect(await resetMailCount(acmeId)).toBe(100);

    // Globex's members still get their links.
    client.ip = "192.0.2.200";
    expect(await forgotPasswordAction({}, form("g1@globex.test"))).toEqual({ sent: RESET_SENT_MESSAGE });
    expect(await resetMailCount(globexId)).toBe(2);
  });
});
