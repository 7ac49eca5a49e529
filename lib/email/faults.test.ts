import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/db/testing";
import { emailOutbox } from "@/db/schema";
import { startMockResend, type MockResend } from "@/e2e/mock-servers/resend";
import { resetConfigForTests } from "@/lib/config";
import { MAX_ATTEMPTS } from "./deliver";
import { deliverDueEmails, deliveryDetail, enqueueEmail } from "./index";

// Faults of the email provider, injected for real: the Resend SDK talks HTTP to a mock
// that answers 500, rate-limits with 429 and Retry-After, or never answers.
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

beforeEach(async () => {
  mock.fault({ kind: "status", count: 0 });
  // Each test starts from an empty outbox and inbox.
  await database.db.delete(emailOutbox);
  mock.requests.length = 0;
});

const queue = async (subject: string, kind = "invitation") =>
  (await database.db.transaction((tx) => enqueueEmail(tx, { accountId: null, to: "someone@example.test", subject, text: `Hello (${subject})`, kind })))!;
const rowOf = async (id: string) => (await database.db.select().from(emailOutbox).where(eq(emailOutbox.id, id)))[0];
/** Lets every back-off elapse (the outbox's times are the database's). */
const makeDue = (...ids: string[]) => database.db.update(emailOutbox).set({ nextAttemptAt: sql`now() - interval '1 second'` }).where(inArray(emailOutbox.id, ids));
const secondsUntil = (at: Date) => (at.getTime() - Date.now()) / 1000;

describe("when the email provider fails", () => {
  it("keeps a message queued after a 500, says why on the delivery page, and delivers it once when the provider recovers", async () => {
    mock.fault({ kind: "status", count: 1, status: 500 });
    const id = await queue("after a 500");
    expect(await deliverDueEmails()).toBe(0);
    const row = await rowOf(id);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(deliveryDetail(row)).toMatch(/^Attempt 1 failed: internal_server_error: Mock failure \(HTTP 500\)\. Next try /);

    await makeDue(id);
    expect(await deliverDueEmails()).toBe(1);
    expect(await rowOf(id)).toMatchObject({ status: "sent", lastError: null });
    expect(mock.delivered().map((m) => m.subject)).toEqual(["after a 500"]);
  });

  it("waits as long as a 429's Retry-After asks before trying again", async () => {
    mock.fault({ kind: "rate-limit", count: 1, retryAfter: 90 });
    const id = await queue("rate limited");
    await deliverDueEmails();
    const row = await rowOf(id);
    expect(row.status).toBe("pending");
    // The own back-off would be 2 s; the provider asked for 90.
    expect(secondsUntil(row.nextAttemptAt)).toBeGreaterThan(85);
    expect(deliveryDetail(row)).toContain("rate_limit_exceeded: Too many requests. Please limit the number of requests per second. (HTTP 429, retry after 90 s)");
    // Not before then: a run now does not call the provider at all.
    expect(await deliverDueEmails()).toBe(0);
    expect(mock.requests).toHaveLength(1);
  });

  it("gives up on a provider that does not answer, and a retry of a message it took after all is not a second email", async () => {
    // The provider takes the message but its answer never comes.
    mock.fault({ kind: "hang", count: 1, accept: true });
    const id = await queue("lost answer");
    expect(await deliverDueEmails({ timeoutMs: 300 })).toBe(0);
    const row = await rowOf(id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "No answer from the provider within 0.3 s" });

    await makeDue(id);
    expect(await deliverDueEmails()).toBe(1);
    // Two requests with the same idempotency key; one email in the inbox, and the outbox
    // notes the provider's ID of the first.
    expect(mock.requests.map((r) => r.idempotencyKey)).toEqual([`outbox-${id}`, `outbox-${id}`]);
    expect(mock.delivered()).toHaveLength(1);
    expect((await rowOf(id)).providerId).toBe(mock.delivered()[0].id);
  });

  it("retries a step-up code within seconds while other mail backs off further", async () => {
    const code = await queue("Your verification code", "step-up-code");
    const invitation = await queue("You are invited");
    mock.fault({ kind: "status", count: 10, status: 503 });
    for (let attempt = 1; attempt <= 5; attempt++) {
      await makeDue(code, invitation);
      await deliverDueEmails();
    }
    const [codeRow, invitationRow] = [await rowOf(code), await rowOf(invitation)];
    expect(codeRow).toMatchObject({ status: "pending", attempts: 5 });
    expect(invitationRow).toMatchObject({ status: "pending", attempts: 5 });
    expect(secondsUntil(codeRow.nextAttemptAt)).toBeLessThanOrEqual(10);
    expect(secondsUntil(invitationRow.nextAttemptAt)).toBeGreaterThan(30);
  });

  it("ends a message that keeps failing as failed, with why, and never tries it again", async () => {
    mock.fault({ kind: "status", count: 1000, status: 500 });
    const id = await queue("doomed");
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await makeDue(id);
      await deliverDueEmails();
    }
    const row = await rowOf(id);
    expect(row).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(deliveryDetail(row)).toBe(`Gave up after ${MAX_ATTEMPTS} attempts: internal_server_error: Mock failure (HTTP 500)`);
    mock.fault({ kind: "status", count: 0 });
    await makeDue(id);
    expect(await deliverDueEmails()).toBe(0);
    expect(mock.requests).toHaveLength(MAX_ATTEMPTS);
    expect(mock.delivered()).toHaveLength(0);
  });

  it("after a mix of 500s, 429s and silence, delivers each message exactly once", async () => {
    const ids = await Promise.all(["one", "two", "three", "four"].map((subject) => queue(subject)));
    const faults = [
      { kind: "status", count: 2, status: 502 },
      { kind: "rate-limit", count: 2, retryAfter: 1 },
      { kind: "hang", count: 2, accept: true },
    ] as const;
    for (const fault of faults) {
      mock.fault(fault);
      await makeDue(...ids);
      await deliverDueEmails({ timeoutMs: 300 });
    }
    mock.fault({ kind: "status", count: 0 });
    for (let round = 0; round < 3; round++) {
      await makeDue(...ids);
      await deliverDueEmails();
    }
    const rows = await database.db.select().from(emailOutbox).where(inArray(emailOutbox.id, ids));
    expect(rows.map((row) => row.status)).toEqual(["sent", "sent", "sent", "sent"]);
    expect(mock.delivered().map((m) => m.subject).sort()).toEqual(["four", "one", "three", "two"]);
  });
});
