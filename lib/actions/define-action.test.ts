import { insertMembers } from "@/db/queries/users";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, emailOutbox, stepUpChallenges, type User } from "@/db/schema";
import type { CurrentUser } from "@/lib/auth/session";
import { readBody } from "@/lib/email";

// Who is calling, from which session (the browser's cookie); the rest is the real code.
const caller: { user: CurrentUser | null } = { user: null };
vi.mock("@/lib/auth/session", () => ({
  requireUser: async () => {
    if (!caller.user) throw new Error("NEXT_REDIRECT /sign-in");
    return caller.user;
  },
  getCurrentUser: async () => caller.user,
}));
vi.mock("@/lib/auth/next-auth", () => ({ signOut: async () => {} }));
vi.mock("@/lib/request", () => ({ requestContext: async () => ({ ip: "203.0.113.8", userAgent: "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { defineAction } = await import("./define-action");
const { requestNewStepUpCode } = await import("@/app/(console)/actions");
const { inviteMember } = await import("@/app/(console)/users/actions");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let admin: User;
const runs: number[] = [];
const NOT_VALID = "This verification is not valid. Start the action again.";

/** A sensitive action like the console's: nothing runs without a code bound to it. */
const guarded = defineAction({
  name: "test.guarded",
  input: z.object({ n: z.number() }),
  stepUp: (input) => ({ targetId: String(input.n), label: `do thing ${input.n}` }),
  run: async (_ctx, input) => {
    runs.push(input.n);
    return { ran: input.n };
  },
});

const fromSession = (sessionId: string) => {
  caller.user = currentUserOf(admin, { sessionId });
};

async function latestStepUpEmail(): Promise<string> {
  const [row] = await database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, admin.email), eq(emailOutbox.kind, "step-up-code")))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  return readBody(row)!.text;
}
const latestCode = async () => (await latestStepUpEmail()).match(/code is (\d{6})/)![1];

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  [admin] = await insertMembers(database.db, [{ accountId: account.id, email: "admin@acme.test", name: "Ada", roles: ["admin"], status: "active" }]);
});
afterAll(() => database.close());

describe("step-up through defineAction", () => {
  it("answers a malformed proof as an invalid code, without running the action or touching the challenge", async () => {
    fromSession("session-a");
    const first = await guarded({ n: 1 });
    const challengeId = first.stepUp!.challengeId;
    // What any invalid code gets: a challenge that does not exist.
    const unknown = await guarded({ n: 1 }, { challengeId: "00000000-0000-4000-8000-000000000000", code: "123456" });
    expect(unknown).toMatchObject({ ok: false, error: NOT_VALID, stepUp: { reason: "not-found", error: NOT_VALID, action: "do thing 1" } });

    const crafted: unknown[] = [
      { challengeId: "not-a-uuid", code: "123456" },
      { challengeId: "1' or '1'='1", code: "123456" },
      { challengeId: { $ne: null }, code: "123456" },
      { challengeId: "x".repeat(100_000), code: "123456" },
      { challengeId, code: { toString: "123456" } },
      { challengeId, code: ["123456"] },
      { challengeId, code: 123456 },
      { challengeId, code: "1".repeat(100_000) },
      { challengeId },
      "a string",
      [challengeId, "123456"],
    ];
    for (const proof of crafted) {
      const answer = await guarded({ n: 1 }, proof as never);
      expect(answer.error).not.toMatch(/Something went wrong/);
      expect(answer).toMatchObject({ ok: false, error: NOT_VALID, stepUp: { ...unknown.stepUp!, challengeId: expect.any(String) } });
    }
    expect(runs).toEqual([]);
    // Not counted against the real challenge, which still works with its code.
    const [row] = await database.db.select().from(stepUpChallenges).where(eq(stepUpChallenges.id, challengeId));
    expect(row.failedAttempts).toBe(0);
    expect(await guarded({ n: 1 }, { challengeId, code: await latestCode() })).toEqual({ ok: true, data: { ran: 1 } });
    // Each refusal is audited like any failed code.
    const failures = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "step_up.failed"));
    expect(failures).toHaveLength(crafted.length + 1);
  });

  it("spends a code only in the session that asked for it", async () => {
    fromSession("session-a");
    const { stepUp } = await guarded({ n: 2 });
    const code = await latestCode();
    fromSession("session-b");
    expect(await guarded({ n: 2 }, { challengeId: stepUp!.challengeId, code })).toMatchObject({ ok: false, error: NOT_VALID });
    expect(await requestNewStepUpCode(stepUp!.challengeId)).toMatchObject({ ok: false, error: "This verification has ended. Start the action again." });
    fromSession("session-a");
    expect(await guarded({ n: 2 }, { challengeId: stepUp!.challengeId, code })).toEqual({ ok: true, data: { ran: 2 } });
  });

  it("Send a new code names the same action and target as the first email", async () => {
    fromSession("session-a");
    const { stepUp } = await inviteMember({ email: "Nova@Example.test", roles: ["member"] });
    const first = await latestStepUpEmail();
    expect(first).toContain("It confirms this action: invite nova@example.test.");
    expect(await requestNewStepUpCode(stepUp!.challengeId)).toEqual({ ok: true });
    const second = await latestStepUpEmail();
    expect(second).not.toBe(first);
    expect(second).toContain("It confirms this action: invite nova@example.test.");
  });
});
