import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts, emailOutbox, seenDevices, thisWasntMeLinks, users } from "@/db/schema";

const person = {
  id: users.id,
  accountId: users.accountId,
  email: users.email,
  status: users.status,
  kind: users.kind,
  hasPassword: sql<boolean>`${users.passwordHash} is not null`,
  ssoManaged: sql<boolean>`${users.ssoSubject} is not null`,
  accountName: accounts.name,
};

/** O4: who a security notice goes to, read fresh, so it goes to the address stored now, with their account's name. */
export async function findNoticeRecipient(db: Executor, userId: string) {
  const [row] = await db.select(person).from(users).innerJoin(accounts, eq(accounts.id, users.accountId)).where(eq(users.id, userId));
  return row ?? null;
}

export type NoticeRecipient = NonNullable<Awaited<ReturnType<typeof findNoticeRecipient>>>;

export async function insertThisWasntMeLink(db: Executor, input: { userId: string; selector: string; verifierHash: string; notice: string; ttlDays: number }) {
  await db.insert(thisWasntMeLinks).values({
    userId: input.userId,
    selector: input.selector,
    verifierHash: input.verifierHash,
    notice: input.notice,
    expiresAt: sql`now() + make_interval(days => ${input.ttlDays})`,
  });
}

/** A "This wasn't me" link by its selector, with its person; locked when it is about to be spent. */
export async function findThisWasntMeLink(db: Executor, selector: string, lock = false) {
  const query = db
    .select({ link: thisWasntMeLinks, expired: sql<boolean>`${thisWasntMeLinks.expiresAt} <= now()`, user: person })
    .from(thisWasntMeLinks)
    .innerJoin(users, eq(users.id, thisWasntMeLinks.userId))
    .innerJoin(accounts, eq(accounts.id, users.accountId))
    .where(eq(thisWasntMeLinks.selector, selector))
    .limit(1);
  const [row] = lock ? await query.for("update", { of: thisWasntMeLinks }) : await query;
  return row ?? null;
}

/** Spends every unused link of the person: one confirmation answers all of them. */
export async function spendThisWasntMeLinks(db: Executor, userId: string) {
  await db.update(thisWasntMeLinks).set({ usedAt: sql`now()` }).where(and(eq(thisWasntMeLinks.userId, userId), isNull(thisWasntMeLinks.usedAt)));
}

/** O4: from now on the password does not sign the person in; a new one (set by a reset link) clears it. */
export async function markPasswordResetRequired(db: Executor, userId: string) {
  await db.update(users).set({ passwordResetRequiredAt: sql`now()` }).where(eq(users.id, userId));
}

/**
 * O4: the security notices sent to a person, newest first, from the outbox: subject,
 * delivery status, when. Never the bodies. Scoped by account and person: only their own.
 */
export async function listSecurityNoticesOf(db: Executor, accountId: string, userId: string, limit = 20) {
  return db
    .select({ id: emailOutbox.id, subject: emailOutbox.subject, status: emailOutbox.status, createdAt: emailOutbox.createdAt, sentAt: emailOutbox.sentAt })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.accountId, accountId), eq(emailOutbox.userId, userId), eq(emailOutbox.kind, "security-notice")))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(limit);
}

/** The devices a person signed in from since `since` (O4: the last 90 days). */
export async function findSeenDevicesSince(db: Executor, userId: string, since: Date) {
  return db
    .select({ browser: seenDevices.browser, os: seenDevices.os, network: seenDevices.network })
    .from(seenDevices)
    .where(and(eq(seenDevices.userId, userId), gt(seenDevices.lastSeenAt, since)));
}

/** Whether the person ever signed in before (with this feature in place). */
export async function hasSeenAnyDevice(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db.select({ id: seenDevices.id }).from(seenDevices).where(eq(seenDevices.userId, userId)).limit(1);
  return Boolean(row);
}

export async function recordSeenDevice(db: Executor, input: { userId: string; browser: string; os: string; network: string; at: Date }) {
  await db
    .insert(seenDevices)
    .values({ userId: input.userId, browser: input.browser, os: input.os, network: input.network, firstSeenAt: input.at, lastSeenAt: input.at })
    .onConflictDoUpdate({
      target: [seenDevices.userId, seenDevices.browser, seenDevices.os, seenDevices.network],
      set: { lastSeenAt: sql`greatest(${seenDevices.lastSeenAt}, excluded.last_seen_at)` },
    });
}
