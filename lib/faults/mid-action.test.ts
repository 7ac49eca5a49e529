import { and, desc, eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { insertMembers } from "@/db/queries/users";
import { currentUserOf, useFreshDatabase } from "@/db/testing";
import { accounts, auditEvents, emailOutbox, jobs, stepUpChallenges, users, type User } from "@/db/schema";
import type { CurrentUser } from "@/lib/auth/session";
import { readBody } from "@/lib/email";
import { forgetDatabaseForTests, getDatabase, setDatabaseForTests } from "@/db/client";
import { resetConfigForTests } from "@/lib/config";
import { isConnectionError } from "@/lib/db-errors";
import { fingerprint } from "./fingerprint";
import { startTcpGate } from "./tcp-gate";

// A sensitive action that fails half-way — a statement refused inside its transaction (both
// database modes), or, on a PostgreSQL server, its connection killed while the transaction
// is open — leaves nothing behind: no member half-disabled or half-invited, no audit row or
// email without its change, the step-up code unspent; the person is told nothing changed,
// with a request ID, and the very next request works.
const caller: { user: CurrentUser | null } = { user: null };
vi.mock("@/lib/auth/session", () => ({
  requireUser: async () => {
    if (!caller.user) throw new Error("NEXT_REDIRECT /sign-in");
    return caller.user;
  },
  getCurrentUser: async () => caller.user,
}));
vi.mock("@/lib/request", async (original) => ({ ...(await original<typeof import("@/lib/request")>()), requestContext: async () => ({ ip: "203.0.113.11", userAgent: "faults" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const team = await import("@/app/(console)/users/actions");

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let admin: User;
let accountId: string;

beforeAll(async () => {
  database = await useFreshDatabase();
  const [account] = await database.db.insert(accounts).values({ name: "Faulty Co" }).returning();
  accountId = account.id;
  [admin] = await insertMembers(database.db, [{ accountId, email: "admin@faulty.test", name: "Ada", roles: ["admin"], status: "active" }]);
  caller.user = currentUserOf(admin, { sessionId: "session-faults" });
});
afterAll(() => database.close());

const member = async (email: string) => (await insertMembers(database.db, [{ accountId, email, name: email.split("@")[0], roles: ["member"], status: "active" }]))[0];
const statusOf = async (id: string) => (await database.db.select({ status: users.status }).from(users).where(eq(users.id, id)))[0]?.status;

/** The action's "Verify it's you", answered with the code from the email, as the person would. */
async function proofFor(result: { stepUp?: { challengeId: string } }) {
  expect(result.stepUp).toBeDefined();
  const [mail] = await database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, admin.email), eq(emailOutbox.kind, "step-up-code")))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  return { challengeId: result.stepUp!.challengeId, code: readBody(mail)!.text.match(/code is (\d{6})/)![1] };
}
const challenge = async (id: string) => (await database.db.select().from(stepUpChallenges).where(eq(stepUpChallenges.id, id)))[0];
const NOTHING_CHANGED = /^Something went wrong, so nothing was changed\. Try again \(request [0-9a-f]{8}\)\.$/;

/** Makes the database refuse the audit record of `action`, the last write of the action's transaction. */
async function refuseAudit(action: string) {
  await database.raw(
    `create or replace function faults_refuse_audit() returns trigger language plpgsql as $$ begin if new.action = '${action}' then raise exception 'injected fault: audit refused'; end if; return new; end $$`,
    [],
  );
  await database.raw(`create trigger faults_refuse_audit before insert on audit_events for each row execute function faults_refuse_audit()`, []);
  return () => database.raw(`drop trigger faults_refuse_audit on audit_events`, []);
}

describe(`a sensitive action that fails inside its transaction (${process.env.DATABASE_URL ? "PostgreSQL server" : "embedded PGlite"})`, () => {
  it("disable: the member stays active, no audit row, the code unspent, and the same code then works", async () => {
    const mo = await member("mo@faulty.test");
    const proof = await proofFor(await team.disableMember({ userId: mo.id }));
    const before = await fingerprint(database.db);
    const restore = await refuseAudit("member.disabled");
    try {
      const failed = await team.disableMember({ userId: mo.id }, proof);
      expect(failed).toEqual({ ok: false, error: expect.stringMatching(NOTHING_CHANGED) });
    } finally {
      await restore();
    }
    // Not a row changed: the member, their sessions, the challenge, the audit log, the outbox.
    expect(await fingerprint(database.db)).toEqual(before);
    expect(await statusOf(mo.id)).toBe("active");
    expect((await challenge(proof.challengeId)).consumedAt).toBeNull();

    expect(await team.disableMember({ userId: mo.id }, proof)).toMatchObject({ ok: true });
    expect(await statusOf(mo.id)).toBe("disabled");
    expect(await database.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, mo.id), eq(auditEvents.action, "member.disabled")))).toHaveLength(1);
  });

  it("invite: nobody is half-invited (no member, no invitation, no email), and the same code then works", async () => {
    const proof = await proofFor(await team.inviteMember({ email: "nova@faulty.test", roles: ["member"] }));
    const before = await fingerprint(database.db);
    const restore = await refuseAudit("member.invited");
    try {
      expect(await team.inviteMember({ email: "nova@faulty.test", roles: ["member"] }, proof)).toEqual({ ok: false, error: expect.stringMatching(NOTHING_CHANGED) });
    } finally {
      await restore();
    }
    expect(await fingerprint(database.db)).toEqual(before);
    expect(await team.inviteMember({ email: "nova@faulty.test", roles: ["member"] }, proof)).toMatchObject({ ok: true });
    const invitations = await database.db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, "nova@faulty.test"), eq(emailOutbox.kind, "invitation")));
    expect(invitations).toHaveLength(1);
  });
});

if (process.env.DATABASE_URL) {
  describe("the database connection drops in the middle of a sensitive action (PostgreSQL server)", () => {
    /** Kills the backend that is waiting on a lock the gate holds: the action's, mid-transaction. */
    async function killWaitingBackend(gate: postgres.TransactionSql, gatePid: number) {
      for (;;) {
        const waiting = await gate<{ pid: number }[]>`
          select pid from pg_stat_activity where datname = current_database() and pid <> ${gatePid} and wait_event_type = 'Lock'`;
        if (waiting.length) {
          await gate`select pg_terminate_backend(${waiting[0].pid})`;
          return;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    }

    /**
     * Runs `action` while another session holds the lock `hold` takes, and kills the action's
     * backend as it waits there, its transaction open: what the person is told.
     */
    async function killedMidAction(hold: (tx: postgres.TransactionSql) => Promise<unknown>, action: () => Promise<unknown>) {
      // The console's own guard (lib/db-errors.ts) answers postgres.js's stray write to the
      // dead connection, as in production; Vitest's listener would count it as a failure.
      const others = process.listeners("uncaughtException").filter((listener) => !listener.toString().includes("isDeadSocketWrite"));
      for (const listener of others) process.off("uncaughtException", listener);
      onTestFinished(() => {
        for (const listener of others) process.on("uncaughtException", listener);
      });
      const gate = postgres(database.url!, { max: 1, onnotice: () => {} });
      let answer: unknown;
      try {
        await gate
          .begin(async (tx) => {
            await hold(tx);
            const [{ pid }] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
            const pending = action();
            await killWaitingBackend(tx, pid);
            answer = await pending;
            throw new Error("release the lock");
          })
          .catch(() => {});
      } finally {
        await gate.end();
      }
      return answer;
    }
    const CONNECTION_LOST = /^The connection to the database was lost, so nothing was changed\. Try again \(request [0-9a-f]{8}\)\.$/;

    it("disable: told the connection was lost and nothing changed, the code unspent, and the next request works without a restart", async () => {
      const mo = await member("kim@faulty.test");
      const proof = await proofFor(await team.disableMember({ userId: mo.id }));
      const before = await fingerprint(database.db);
      // Holds the member's row: the action spends the code, then waits there, its transaction open.
      const failed = await killedMidAction(
        (tx) => tx`select 1 from users where id = ${mo.id} for update`,
        () => team.disableMember({ userId: mo.id }, proof),
      );
      expect(failed).toEqual({ ok: false, error: expect.stringMatching(CONNECTION_LOST) });
      expect(await fingerprint(database.db)).toEqual(before);
      expect(await statusOf(mo.id)).toBe("active");
      expect((await challenge(proof.challengeId)).consumedAt).toBeNull();

      // The same console (its pool reconnects), the same code.
      expect(await team.disableMember({ userId: mo.id }, proof)).toMatchObject({ ok: true });
      expect(await statusOf(mo.id)).toBe("disabled");
      // And not one dead connection left in the pool: more requests at once than it holds connections.
      const counts = await Promise.all(Array.from({ length: 25 }, () => database.db.transaction(async (tx) => (await tx.select({ id: users.id }).from(users)).length)));
      expect(new Set(counts).size).toBe(1);
    });

    it("invite: the backend killed mid-action — nobody half-invited, no mail queued, the code unspent, and the same code then works", async () => {
      const email = "vera@faulty.test";
      const proof = await proofFor(await team.inviteMember({ email, roles: ["member"] }));
      const before = await fingerprint(database.db);
      // Holds the account's audit chain: the action waits for it with its transaction open, and is killed there.
      const failed = await killedMidAction(
        (tx) => tx`select 1 from audit_chain_heads where account_id = ${admin.accountId} for update`,
        () => team.inviteMember({ email, roles: ["member"] }, proof),
      );
      expect(failed).toEqual({ ok: false, error: expect.stringMatching(CONNECTION_LOST) });
      expect(await fingerprint(database.db)).toEqual(before);
      expect(await database.db.select().from(users).where(eq(users.email, email))).toEqual([]);
      expect((await challenge(proof.challengeId)).consumedAt).toBeNull();
      // The same code, once more: invited, audited, the mail queued.
      expect(await team.inviteMember({ email, roles: ["member"] }, proof)).toMatchObject({ ok: true });
      expect(await database.db.select({ status: users.status }).from(users).where(eq(users.email, email))).toEqual([{ status: "invited" }]);
    });

    /** The console's own database (from configuration, as at start) reached through a TCP gate the test cuts and mends. */
    async function consoleBehindGate() {
      const target = new URL(database.url!);
      const gate = await startTcpGate({ host: target.hostname, port: Number(target.port || 5432) });
      const behindGate = new URL(database.url!);
      behindGate.port = String(gate.port);
      const saved = process.env.DATABASE_URL;
      process.env.DATABASE_URL = behindGate.toString();
      resetConfigForTests();
      setDatabaseForTests(undefined);
      forgetDatabaseForTests();
      const restore = async () => {
        process.env.DATABASE_URL = saved;
        resetConfigForTests();
        forgetDatabaseForTests();
        setDatabaseForTests(database);
        await gate.close();
      };
      return { gate, restore };
    }

    it("unreachable at start and for a while: the console keeps trying and recovers by itself, without a restart", async () => {
      const { gate, restore } = await consoleBehindGate();
      try {
        // At start: the console keeps trying to reach its database …
        gate.cut();
        const opening = getDatabase();
        await gate.refusals(2);
        // … and when it is back, opens it: no restart.
        gate.mend();
        const opened = await opening;
        expect(await opened.db.select({ id: users.id }).from(users).where(eq(users.id, admin.id))).toHaveLength(1);
        // Gone for a while, every connection dropped: what was under way fails as a lost
        // connection (an action says "nothing was changed, try again") …
        gate.cut();
        const during = await opened.db.select({ id: users.id }).from(users).catch((error: unknown) => error);
        expect(isConnectionError(during)).toBe(true);
        // … a request now waits for it, and is answered when it is back, by the same pool.
        const answered = opened.db.select({ id: users.id }).from(users).where(eq(users.id, admin.id)).then((rows) => rows.length);
        await gate.refusals(2);
        gate.mend();
        expect(await answered).toBe(1);
        await opened.close();
      } finally {
        await restore();
      }
    });

    it("down when the console starts: it starts anyway, keeps trying, and starts its workers when the database is up", async () => {
      const { gate, restore } = await consoleBehindGate();
      const { startServer } = await import("@/lib/startup");
      const { startJobRunner, stopJobRunner } = await import("@/lib/jobs");
      try {
        await gate.down();
        let retried: () => void;
        const retrying = new Promise<void>((resolve) => (retried = resolve));
        // Each attempt gives up after the driver's 10 s; between attempts the console waits 1 s, 2 s, 4 s … (not here).
        const { ready } = await startServer({ backOff: () => (retried(), 0) });
        await retrying;
        await gate.up();
        await ready;
        // The job runner is at work (its first run, shared here): it has scheduled the day's clean-up on the database.
        await (await startJobRunner()).runDue();
        expect(await database.db.select().from(jobs).where(eq(jobs.name, "jobs-cleanup"))).not.toHaveLength(0);
      } finally {
        // (The previous code awaited the database at start and gave up on CONNECT_TIMEOUT, workers never started.)
        stopJobRunner();
        (await getDatabase()).close().catch(() => {});
        await restore();
      }
    }, 90_000);

    it("down when the console starts, then back: the first page that reaches it ends the start's back-off at once", async () => {
      const { gate, restore } = await consoleBehindGate();
      const { startServer } = await import("@/lib/startup");
      const { stopJobRunner } = await import("@/lib/jobs");
      try {
        await gate.down();
        // An hour between attempts: without the wake-up this test runs out of time.
        const { ready } = await startServer({ backOff: () => 60 * 60_000 });
        await gate.up();
        // A page's request opens the database …
        await getDatabase();
        // … and the start (demo data, workers) completes without waiting out its hour.
        await ready;
      } finally {
        stopJobRunner();
        (await getDatabase()).close().catch(() => {});
        await restore();
      }
    }, 60_000);

    it("after every connection to the database is cut (a server restart), requests work again without a restart", async () => {
      const admin = postgres(database.url!, { max: 1, onnotice: () => {} });
      try {
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
        // Until the server has ended them all (the console's sockets see it meanwhile).
        for (;;) {
          const [{ left }] = await admin<{ left: number }[]>`select count(*)::int as left from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
          if (left === 0) break;
        }
      } finally {
        await admin.end();
      }
      // A statement sent on a socket whose close the console has not read yet fails as a lost
      // connection ("… nothing was changed. Try again"); the driver opens a new one (the pool is
      // replaced under a transaction): trying again works, with no restart. At most once each.
      const onceMore = async <T>(work: () => Promise<T>) => work().catch((error: unknown) => (isConnectionError(error) ? work() : Promise.reject(error)));
      const actOnceMore = async <T extends { error?: string }>(work: () => Promise<T>) => {
        const first = await work();
        return CONNECTION_LOST.test(first.error ?? "") ? work() : first;
      };
      const kim = await onceMore(() => database.db.select().from(users).where(eq(users.email, "kim@faulty.test")));
      expect(kim).toHaveLength(1);
      const proof = await proofFor(await actOnceMore(() => team.enableMember({ userId: kim[0].id })));
      expect(await team.enableMember({ userId: kim[0].id }, proof)).toMatchObject({ ok: true });
    });
  });
}
