import { insertMembers } from "@/db/queries/users";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSessionPrincipal } from "@/db/queries/principals";
import { createSession } from "@/db/queries/sessions";
import { updateProfile } from "@/db/queries/profile";
import { useFreshDatabase } from "@/db/testing";
import { accounts, emailOutbox, passwordResets, users, type User } from "@/db/schema";
import { readBody } from "@/lib/email";
import { announceProductUpdate, queueProductUpdate } from "@/lib/email/product-updates";
import { hashPassword, verifyPassword } from "./password";
import { lookUpPasswordReset, requestPasswordReset, setNewPassword } from "./password-reset";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let alice: User;
let bob: User;
const context = { ip: "198.51.100.4", userAgent: "vitest" };

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Acme" }).returning();
  const passwordHash = await hashPassword("Old-Password-77!");
  [alice, bob] = await insertMembers(database.db, [
      { accountId: account.id, email: "alice@acme.test", status: "active", passwordHash },
      { accountId: account.id, email: "bob@acme.test", status: "active", passwordHash },
    ]);
});
afterAll(() => database.close());

const resetMails = (to: string) => database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.kind, "password-reset")));

describe("forgot password (P1)", () => {
  it("emails a link only to a real member, with nothing different for an unknown address", async () => {
    await database.db.transaction((tx) => requestPasswordReset(tx, "Alice@Acme.test", context));
    await database.db.transaction((tx) => requestPasswordReset(tx, "nobody@acme.test", context));
    expect(await resetMails("alice@acme.test")).toHaveLength(1);
    expect(await resetMails("nobody@acme.test")).toHaveLength(0);
    // Only the hash of the token is stored.
    const [row] = await database.db.select().from(passwordResets).where(eq(passwordResets.userId, alice.id));
    const token = readBody((await resetMails("alice@acme.test"))[0])!.text.match(/reset-password\/([A-Za-z0-9_-]{43})/)![1];
    expect(row.tokenHash).not.toContain(token);
  });

  it("sets the new password once, ending every session and telling the member", async () => {
    const token = readBody((await resetMails("alice@acme.test"))[0])!.text.match(/reset-password\/([A-Za-z0-9_-]{43})/)![1];
    const session = await createSession(database.db, { userId: alice.id, maxAgeSeconds: 3600, ip: null, userAgent: null });
    const state = await lookUpPasswordReset(database.db, token);
    expect(state.state).toBe("valid");
    await database.db.transaction(async (tx) => {
      await tx.update(passwordResets).set({ usedAt: sql`now()` }).where(eq(passwordResets.userId, alice.id));
      await setNewPassword(tx, alice, "Tidal-Orbit-4821", { context, action: "password.reset" });
    });
    expect(await findSessionPrincipal(database.db, session, { idleMinutes: 60 })).toBeNull();
    const [row] = await database.db.select().from(users).where(eq(users.id, alice.id));
    expect(await verifyPassword(row.passwordHash, "Tidal-Orbit-4821")).toBe(true);
    expect((await lookUpPasswordReset(database.db, token)).state).toBe("used");
    const notices = await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, "alice@acme.test"), eq(emailOutbox.kind, "security-notice")));
    expect(notices.map((n) => n.subject)).toContain("Your Roster password was changed");
  });

  it("refuses expired and tampered links", async () => {
    await database.db.transaction((tx) => requestPasswordReset(tx, "bob@acme.test", context));
    const token = readBody((await resetMails("bob@acme.test"))[0])!.text.match(/reset-password\/([A-Za-z0-9_-]{43})/)![1];
    await database.db.update(passwordResets).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(passwordResets.userId, bob.id));
    expect((await lookUpPasswordReset(database.db, token)).state).toBe("expired");
    expect((await lookUpPasswordReset(database.db, token.replace(/^./, (c) => (c === "a" ? "b" : "a")))).state).toBe("invalid");
    expect((await lookUpPasswordReset(database.db, "../../x")).state).toBe("invalid");
  });
});

describe("communication settings (P5)", () => {
  it("sends product updates only to members who did not turn them off", async () => {
    await updateProfile(database.db, bob.id, { productUpdates: false });
    const sent = await database.db.transaction((tx) => queueProductUpdate(tx, alice.accountId, { subject: "What's new", text: "New things." }));
    expect(sent).toBe(1);
    const updates = await database.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "product-update"));
    expect(updates.map((u) => u.toAddress)).toEqual(["alice@acme.test"]);
  });

  it("announces to every account or one by name, still honouring the setting, and refuses bad input", async () => {
    const [globex] = await database.db.insert(accounts).values({ name: "Globex" }).returning();
    await insertMembers(database.db, [{ accountId: globex.id, email: "gale@globex.test", status: "active" }]);
    const countOf = async () => (await database.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "product-update"))).length;
    const before = await countOf();

    expect(await announceProductUpdate(database.db, { subject: "Globex only", text: "Hello." }, "Globex")).toEqual([{ account: "Globex", queued: 1 }]);
    expect(await announceProductUpdate(database.db, { subject: "Everyone", text: "Hello." })).toEqual([
      { account: "Acme", queued: 1 },
      { account: "Globex", queued: 1 },
    ]);
    expect(await countOf()).toBe(before + 3);

    await expect(announceProductUpdate(database.db, { subject: " ", text: "x" })).rejects.toThrow(/subject/);
    await expect(announceProductUpdate(database.db, { subject: "x", text: "" })).rejects.toThrow(/text/);
    await expect(announceProductUpdate(database.db, { subject: "x", text: "y" }, "Nope")).rejects.toThrow(/No account named "Nope"/);
    expect(await countOf()).toBe(before + 3);
  });
});
