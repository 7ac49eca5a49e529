import { insertMembers } from "@/db/queries/users";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, emailOutbox, invitations, users, type User } from "@/db/schema";
import { readBody } from "@/lib/email";
import { sendInvitation } from "@/lib/team/invitations";

// The browser's side (the session cookie next-auth sets, the redirect) is recorded; the
// invitation checks, the password policy and the database are the real code.
const completeSignIn = vi.fn();
vi.mock("@/lib/auth/complete-sign-in", () => ({ completeSignIn: (...args: unknown[]) => completeSignIn(...args) }));
vi.mock("@/lib/request", () => ({ requestContext: async () => ({ ip: "203.0.113.8", userAgent: "vitest" }) }));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`NEXT_REDIRECT ${to}`);
  },
}));

const { acceptInvitationAction } = await import("./actions");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let admin: User;
const PASSWORD = "Granite-Meadow-4471!";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

/** Invites `email` as the app does and returns the token from the emailed link. */
async function invite(email: string): Promise<{ user: User; token: string }> {
  const [user] = await insertMembers(database.db, [{ accountId: admin.accountId, email, status: "invited" }]);
  await database.db.transaction((tx) => sendInvitation(tx, { ...admin, name: admin.name ?? "" }, user));
  const [mail] = await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.kind, "invitation")));
  return { user, token: readBody(mail)!.text.match(/invitations\/([A-Za-z0-9_-]{43})/)![1] };
}

const rowOf = async (user: User) => (await database.db.select().from(users).where(eq(users.id, user.id)))[0];

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  [admin] = await insertMembers(database.db, [{ accountId: account.id, email: "admin@acme.test", name: "Ada", roles: ["admin"], status: "active" }]);
});
afterAll(() => database.close());
beforeEach(() => completeSignIn.mockReset());

describe("accepting an invitation (T2)", () => {
  it("turns the row Active, signs the person in and is audited — once", async () => {
    const { user, token } = await invite("nia@acme.test");
    await expect(acceptInvitationAction({}, form({ token, name: "Nia", password: PASSWORD, confirm: PASSWORD }))).rejects.toThrow("NEXT_REDIRECT /account");
    expect(completeSignIn).toHaveBeenCalledTimes(1);
    expect(await rowOf(user)).toMatchObject({ status: "active", name: "Nia" });
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "invitation.accepted"));
    expect(event).toMatchObject({ accountId: admin.accountId, actorId: user.id, targetId: user.id, ip: "203.0.113.8" });

    const again = await acceptInvitationAction({}, form({ token, name: "Someone Else", password: PASSWORD, confirm: PASSWORD }));
    expect(again).toEqual({ error: "This invitation has already been accepted. Sign in instead." });
    expect((await rowOf(user)).name).toBe("Nia");
    expect(completeSignIn).toHaveBeenCalledTimes(1);
  });

  it("refuses an expired link with a clear message, leaving the person Invited", async () => {
    const { user, token } = await invite("old@acme.test");
    await database.db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.userId, user.id));
    const result = await acceptInvitationAction({}, form({ token, name: "Old", password: PASSWORD, confirm: PASSWORD }));
    expect(result).toEqual({ error: "This invitation has expired. Ask your administrator for a new one." });
    expect(await rowOf(user)).toMatchObject({ status: "invited", passwordHash: null });
    expect(completeSignIn).not.toHaveBeenCalled();
  });

  it("refuses tampered tokens and weak passwords, changing nothing", async () => {
    const { user, token } = await invite("tam@acme.test");
    const auditBefore = (await database.db.select().from(auditEvents)).length;
    const flipped = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    for (const bad of [flipped, "", "abc", "../../etc/passwd", "x".repeat(5000)]) {
      const result = await acceptInvitationAction({}, form({ token: bad, name: "Tam", password: PASSWORD, confirm: PASSWORD }));
      expect(result.error).toBe("This invitation link is not valid.");
    }
    const weak = await acceptInvitationAction({}, form({ token, name: "Tam", password: "Password1!", confirm: "Password1!" }));
    expect(weak.fieldErrors?.password).toBeTruthy();
    // The form is told what to have typed again: a guessable password entirely, a mismatch's confirmation.
    expect(weak.retype).toBe("password");
    const missingDigit = await acceptInvitationAction({}, form({ token, name: "Tam", password: "Granite-Meadow!", confirm: "Granite-Meadow!" }));
    expect(missingDigit.fieldErrors?.password).toBe("The password needs: a digit.");
    expect(missingDigit.retype).toBeUndefined();
    const mismatch = await acceptInvitationAction({}, form({ token, name: "Tam", password: PASSWORD, confirm: `${PASSWORD}x` }));
    expect(mismatch.fieldErrors?.confirm).toBe("The passwords do not match.");
    expect(mismatch.retype).toBe("confirm");
    expect(await rowOf(user)).toMatchObject({ status: "invited", passwordHash: null });
    expect((await database.db.select().from(auditEvents)).length).toBe(auditBefore);
    expect(completeSignIn).not.toHaveBeenCalled();
  });
});
