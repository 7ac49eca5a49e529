import { insertMembers } from "@/db/queries/users";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSession } from "@/db/queries/sessions";
import { useFreshDatabase } from "@/db/testing";
import { accounts, sessions, users, type User } from "@/db/schema";
import { sha256 } from "@/lib/crypto";
import { loadConfig, resetConfigForTests } from "@/lib/config";

// The browser's cookie says which session this is; everything after it is the real code.
const cookie: { sid?: string } = {};
vi.mock("./next-auth", () => ({ auth: async () => (cookie.sid ? { sid: cookie.sid } : null) }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Error(`NEXT_REDIRECT ${url}`);
  },
  notFound: () => {
    throw new Error("NEXT_NOT_FOUND");
  },
}));

const { getCurrentUser, requireUser } = await import("./session");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let alice: User;

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  [alice] = await insertMembers(database.db, [{ accountId: account.id, email: "alice@acme.test", status: "active" }]);
});
afterAll(async () => {
  await database.close();
  delete process.env.SESSION_IDLE_MINUTES;
  resetConfigForTests();
});

/** A session of Alice's last seen `minutesAgo` minutes ago, as the cookie of the next request. */
async function sessionSeen(minutesAgo: number): Promise<string> {
  const sid = await createSession(database.db, { userId: alice.id, maxAgeSeconds: 12 * 3600, ip: null, userAgent: null });
  await database.db
    .update(sessions)
    .set({ lastSeenAt: sql`now() - make_interval(mins => ${minutesAgo})` })
    .where(eq(sessions.idHash, sha256(sid)));
  cookie.sid = sid;
  return sid;
}
const rowOf = async (sid: string) => (await database.db.select().from(sessions).where(eq(sessions.idHash, sha256(sid))))[0];

describe("idle timeout (SESSION_IDLE_MINUTES, default 60)", () => {
  it("refuses a session unused for longer, removes its row, and sends the person to sign-in with the reason", async () => {
    const sid = await sessionSeen(61);
    await expect(requireUser()).rejects.toThrow("NEXT_REDIRECT /sign-in?signed_out=idle");
    expect(await rowOf(sid)).toBeUndefined();
    // The next request has nothing left to find.
    expect(await getCurrentUser()).toBeNull();
  });

  it("keeps a session seen recently, and records that it was seen now", async () => {
    const sid = await sessionSeen(59);
    expect((await requireUser()).id).toBe(alice.id);
    const row = await rowOf(sid);
    expect(row).toBeDefined();
    expect(Date.now() - row.lastSeenAt.getTime()).toBeLessThan(60_000);
    const [person] = await database.db.select().from(users).where(eq(users.id, alice.id));
    expect(Date.now() - person.lastActiveAt!.getTime()).toBeLessThan(60_000);
  });

  it("follows the configured limit", async () => {
    process.env.SESSION_IDLE_MINUTES = "15";
    resetConfigForTests();
    const recent = await sessionSeen(14);
    expect((await getCurrentUser())?.id).toBe(alice.id);
    const idle = await sessionSeen(16);
    expect(await getCurrentUser()).toBeNull();
    expect(await rowOf(idle)).toBeUndefined();
    expect(await rowOf(recent)).toBeDefined();
  });

  it("accepts only a whole number of minutes from 5 to 43200", () => {
    const env = (idle?: string) => ({ NODE_ENV: "test", DATA_DIR: ".data/vitest", SESSION_IDLE_MINUTES: idle }) as const;
    expect(loadConfig(env()).sessionIdleMinutes).toBe(60);
    expect(loadConfig(env("30")).sessionIdleMinutes).toBe(30);
    for (const bad of ["soon", "0", "4", "7.5", "43201"]) {
      expect(() => loadConfig(env(bad))).toThrow(/SESSION_IDLE_MINUTES/);
    }
  });
});
