import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSession } from "@/db/queries/sessions";
import { insertMembers } from "@/db/queries/users";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, emailOutbox, sessions, type User } from "@/db/schema";
import type { CurrentUser } from "@/lib/auth/session";
import { readBody } from "@/lib/email";

// The session is the browser's cookie; here the test says who is calling. Everything
// after it — permission, step-up, the operation, the database — is the real code.
const caller: { user: CurrentUser | null } = { user: null };
vi.mock("@/lib/auth/session", () => ({
  requireUser: async () => {
    if (!caller.user) throw new Error("NEXT_REDIRECT /sign-in");
    return caller.user;
  },
}));
vi.mock("@/lib/request", async (original) => ({ ...(await original<typeof import("@/lib/request")>()), requestContext: async () => ({ ip: "203.0.113.7", userAgent: "vitest-agent" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { endMemberSessions } = await import("./actions");
const { endOtherSessions, endSession } = await import("../../account/security/actions");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let ada: User, sam: User;

async function latestCode(to: string): Promise<string> {
  const [row] = await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.kind, "step-up-code"))).orderBy(desc(emailOutbox.createdAt)).limit(1);
  return readBody(row)!.text.match(/code is (\d{6})/)![1];
}
const sessionsOf = async (user: User) => database.db.select().from(sessions).where(eq(sessions.userId, user.id));

beforeAll(async () => {
  database = await useFreshDatabase();
  const [acme] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  [ada, sam] = await insertMembers(database.db, [
    { accountId: acme.id, email: "ada@acme.test", name: "Ada", status: "active", passwordHash: "x", roles: ["admin"] },
    { accountId: acme.id, email: "sam@acme.test", name: "Sam", status: "active", passwordHash: "x", roles: ["member"] },
  ]);
});
afterAll(() => database.close());

describe("End all sessions on the member page (B2, S1)", () => {
  it("asks for a code bound to the member first, ends nothing until it is given, then ends every session", async () => {
    await createSession(database.db, { userId: sam.id, maxAgeSeconds: 3600, ip: null, userAgent: null });
    caller.user = currentUserOf(ada);
    const first = await endMemberSessions({ userId: sam.id });
    expect(first.ok).toBe(false);
    expect(first.stepUp?.action).toBe("end every session of Sam");
    expect(await sessionsOf(sam)).toHaveLength(1);
    const done = await endMemberSessions({ userId: sam.id }, { challengeId: first.stepUp!.challengeId, code: await latestCode(ada.email) });
    expect(done).toMatchObject({ ok: true, data: { email: sam.email, ended: 1 } });
    expect(await sessionsOf(sam)).toHaveLength(0);
    expect(await database.db.select().from(auditEvents).where(eq(auditEvents.action, "member.sessions_ended"))).toHaveLength(1);
  });

  it("is refused before any code is sent to a member without sessions.manage", async () => {
    caller.user = currentUserOf(sam);
    const result = await endMemberSessions({ userId: ada.id });
    expect(result).toMatchObject({ ok: false, code: "forbidden" });
    expect(result.stepUp).toBeUndefined();
  });
});

describe("Ending one's own sessions from Security (B2)", () => {
  it("needs no code, and refuses a handle that is not a handle", async () => {
    const current = await createSession(database.db, { userId: sam.id, maxAgeSeconds: 3600, ip: null, userAgent: null });
    await createSession(database.db, { userId: sam.id, maxAgeSeconds: 3600, ip: null, userAgent: null });
    caller.user = currentUserOf(sam, { sessionId: current });
    expect(await endSession({ handle: "not-a-handle" })).toMatchObject({ ok: false });
    expect(await endOtherSessions({})).toMatchObject({ ok: true, data: { ended: 1 } });
    expect(await sessionsOf(sam)).toHaveLength(1);
  });
});
