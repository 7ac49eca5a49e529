import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useFreshDatabase, wholeAccountViewer } from "@/db/testing";
import { emailOutbox } from "@/db/schema";
import { startMockResend, type MockResend } from "@/e2e/mock-servers/resend";
import { resetConfigForTests } from "@/lib/config";
import { deliverDueEmails, enqueueEmail, readBody } from "./index";

let mock: MockResend;
let database: Awaited<ReturnType<typeof useFreshDatabase>>;

beforeAll(async () => {
  mock = await startMockResend();
  process.env.RESEND_API_KEY = "re_test_key";
  process.env.RESEND_BASE_URL = mock.url;
  resetConfigForTests();
  database = await useFreshDatabase();
});

afterAll(async () => {
  await database.close();
  await mock.close();
  delete process.env.RESEND_API_KEY;
  delete process.env.RESEND_BASE_URL;
  resetConfigForTests();
});

beforeEach(() => {
  mock.requests.length = 0;
  mock.failNext(0);
});

const message = (subject: string) => ({
  accountId: null,
  to: "someone@example.test",
  subject,
  text: `Your code is 123456 (${subject})`,
  kind: "test",
});

describe("email outbox", () => {
  it("delivers a committed message through the Resend SDK exactly once", async () => {
    await database.db.transaction((tx) => enqueueEmail(tx, message("hello")));
    expect(await deliverDueEmails()).toBe(1);
    expect(await deliverDueEmails()).toBe(0);

    expect(mock.delivered()).toHaveLength(1);
    const [received] = mock.delivered();
    expect(received.subject).toBe("hello");
    expect(received.to).toEqual(["someone@example.test"]);
    expect(received.text).toContain("123456");

    const [row] = await database.db.select().from(emailOutbox).where(eq(emailOutbox.subject, "hello"));
    expect(row.status).toBe("sent");
    expect(row.providerId).toBe(received.id);
    // Codes are not kept at rest once the provider has the message.
    expect(row.bodyEncrypted).toBeNull();
  });

  it("keeps nothing of a transaction that rolled back", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await enqueueEmail(tx, message("rolled back"));
        throw new Error("the action failed half-way");
      }),
    ).rejects.toThrow("half-way");
    await deliverDueEmails();
    expect(mock.requests).toHaveLength(0);
    expect(await database.db.select().from(emailOutbox).where(eq(emailOutbox.subject, "rolled back"))).toHaveLength(0);
  });

  it("retries with back-off when the provider fails, then arrives exactly once", async () => {
    mock.failNext(2);
    const id = (await database.db.transaction((tx) => enqueueEmail(tx, message("retry me"))))!;

    expect(await deliverDueEmails()).toBe(0);
    let [row] = await database.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
    expect(row.status).toBe("pending");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/Mock failure/);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());

    // Not due yet: a run now sends nothing.
    expect(await deliverDueEmails()).toBe(0);
    expect(mock.requests).toHaveLength(1);

    for (let attempt = 2; attempt <= 3; attempt++) {
      // Let the back-off elapse.
      await database.db.update(emailOutbox).set({ nextAttemptAt: sql`now() - interval '1 second'` }).where(eq(emailOutbox.id, id));
      await deliverDueEmails();
    }

    [row] = await database.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(3);
    expect(mock.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(mock.delivered().filter((m) => m.subject === "retry me")).toHaveLength(1);
    // Every attempt carries the same idempotency key, so a lost response cannot duplicate it.
    expect(new Set(mock.requests.map((r) => r.idempotencyKey))).toEqual(new Set([`outbox-${id}`]));
  });

  it("stores message bodies encrypted", async () => {
    mock.failNext(1);
    const id = (await database.db.transaction((tx) => enqueueEmail(tx, message("secret body"))))!;
    const [row] = await database.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
    expect(row.bodyEncrypted).not.toContain("123456");
    expect(readBody(row)?.text).toContain("123456");
  });
});

describe("the Mailbox (no email provider)", () => {
  it("shows a primary user their own mail and their account's invitations, never another person's codes or reset links", async () => {
    const { listMailbox } = await import("./outbox");
    const { accounts } = await import("@/db/schema");
    const [account] = await database.db.insert(accounts).values({ name: "Mailbox Co" }).returning();
    const mail = (to: string, kind: string) => ({ accountId: account.id, to, subject: `${kind} for ${to}`, text: "…", kind });
    await database.db.transaction(async (tx) => {
      for (const m of [mail("boss@mb.test", "step-up-code"), mail("new@mb.test", "invitation"), mail("member@mb.test", "password-reset"), mail("member@mb.test", "step-up-code")]) {
        await enqueueEmail(tx, m);
      }
    });
    const boss = await listMailbox(database.db, { ...wholeAccountViewer({ accountId: account.id, email: "boss@mb.test" }), seesInvitations: true });
    expect(boss.map((m) => m.subject).sort()).toEqual(["invitation for new@mb.test", "step-up-code for boss@mb.test"]);
    const member = await listMailbox(database.db, { ...wholeAccountViewer({ accountId: account.id, email: "member@mb.test" }), seesInvitations: false });
    expect(member.map((m) => m.subject).sort()).toEqual(["password-reset for member@mb.test", "step-up-code for member@mb.test"]);
  });

  it("leaves out invitations to the vendor's staff unless the viewer is staff too (T6)", async () => {
    const { listMailbox } = await import("./outbox");
    const { accounts } = await import("@/db/schema");
    const [account] = await database.db.insert(accounts).values({ name: "Staffed Co" }).returning();
    for (const to of ["Helper@Vendor.test", "guest@staffed.test"]) {
      await enqueueEmail(database.db, { accountId: account.id, to, subject: `invitation for ${to}`, text: "Join: https://roster.test/invitations/x", kind: "invitation" });
    }
    const customer = await listMailbox(database.db, { ...wholeAccountViewer({ accountId: account.id, email: "boss@staffed.test" }), seesInvitations: true }, "vendor.test");
    expect(customer.map((m) => m.toAddress)).toEqual(["guest@staffed.test"]);
    const staff = await listMailbox(database.db, { ...wholeAccountViewer({ accountId: account.id, email: "ops@vendor.test" }), seesInvitations: true }, "vendor.test");
    expect(staff.map((m) => m.toAddress).sort()).toEqual(["Helper@Vendor.test", "guest@staffed.test"]);
  });
});
