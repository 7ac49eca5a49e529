import { and, eq, isNotNull, like, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import {
  accessReviewLines,
  accessReviews,
  apiKeys,
  backupCodes,
  emailOutbox,
  invitations,
  joinRequests,
  passkeys,
  passwordResets,
  profiles,
  rateLimits,
  scimIdentities,
  seenDevices,
  sessions,
  signInAttempts,
  signInGrants,
  stepUpChallenges,
  thisWasntMeLinks,
  userPropertyValues,
  users,
  webauthnChallenges,
} from "@/db/schema";

/** postgres.js returns the rows, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** A string as it appears inside JSON text (quotes and backslashes escaped), for replace() over jsonb::text. */
const inJson = (text: string) => JSON.stringify(text).slice(1, -1);
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The personal data of one member and what takes its place (T4). */
export type Erasure = { userId: string; accountId: string; old: string[]; name: string; email: string };

/** Replaces every old string in a text expression (longest first, so a name inside an address goes with the address). */
function replaced(expr: ReturnType<typeof sql>, erasure: Erasure, json = false) {
  let out = expr;
  for (const old of [...erasure.old].sort((a, b) => b.length - a.length)) {
    const to = old.includes("@") ? erasure.email : erasure.name;
    out = sql`replace(${out}, ${json ? inJson(old) : old}, ${json ? inJson(to) : to})`;
  }
  return out;
}
const mentions = (expr: ReturnType<typeof sql>, erasure: Erasure, json = false) =>
  or(...erasure.old.map((old) => sql`${expr} like ${`%${likeEscape(json ? inJson(old) : old)}%`}`))!;

/**
 * T4: overwrites one member's personal data everywhere but the audit log: their row, profile
 * (phone, photo), property values, passkeys (names), sign-in secrets and records, sessions,
 * API keys, pending step-up and sign-in challenges, rate-limit counters keyed by their
 * address, invitations to them, every mention in the account's queued email subjects, their
 * sign-in history's address, their SCIM identity, join requests at their address and
 * access-review evidence. Email bodies are encrypted: the caller rewrites those
 * (lib/team/leaving.ts).
 */
export async function eraseMemberData(tx: Executor, erasure: Erasure, at: Date) {
  const { userId } = erasure;
  await tx
    .update(users)
    .set({
      name: erasure.name,
      email: erasure.email,
      location: null,
      passwordHash: null,
      passwordResetRequiredAt: null,
      totpSecretEncrypted: null,
      totpPendingSecretEncrypted: null,
      totpEnabledAt: null,
      totpLastTimeStep: null,
      ssoSubject: null,
      status: "disabled",
      disabledAt: at,
    })
    .where(eq(users.id, userId));
  await tx.update(profiles).set({ phone: null, avatar: null, avatarUpdatedAt: null }).where(eq(profiles.userId, userId));
  await tx.delete(userPropertyValues).where(eq(userPropertyValues.userId, userId));
  for (const table of [passkeys, backupCodes, sessions, apiKeys, passwordResets, thisWasntMeLinks, seenDevices, signInGrants, stepUpChallenges, webauthnChallenges] as const) {
    await tx.delete(table).where(eq(table.userId, userId));
  }
  await tx.update(invitations).set({ email: erasure.email }).where(eq(invitations.userId, userId));
  for (const old of erasure.old) await tx.delete(rateLimits).where(like(rateLimits.key, `%${likeEscape(old)}%`));
  // What others were asked to confirm ("disable Sam Lee") names them too.
  await tx
    .update(stepUpChallenges)
    .set({ actionLabel: replaced(sql`${stepUpChallenges.actionLabel}`, erasure) })
    .where(and(isNotNull(stepUpChallenges.actionLabel), mentions(sql`${stepUpChallenges.actionLabel}`, erasure)));
  await tx
    .update(emailOutbox)
    .set({ toAddress: replaced(sql`${emailOutbox.toAddress}`, erasure), subject: replaced(sql`${emailOutbox.subject}`, erasure) })
    .where(or(eq(emailOutbox.userId, userId), mentions(sql`${emailOutbox.toAddress} || ' ' || ${emailOutbox.subject}`, erasure)));
  const oldEmails = erasure.old.filter((text) => text.includes("@"));
  // O2: their sign-in history keeps its rows (times, results) under the placeholder's
  // address — and so do attempts at their address that concerned no account.
  await tx
    .update(signInAttempts)
    .set({ email: erasure.email })
    .where(
      or(
        eq(signInAttempts.userId, userId),
        ...oldEmails.map((email) => and(or(eq(signInAttempts.accountId, erasure.accountId), sql`${signInAttempts.accountId} is null`), eq(signInAttempts.email, email))),
      ),
    );
  // B3: what the IdP knew them by.
  await tx.update(scimIdentities).set({ userName: erasure.email, externalId: null, givenName: null, familyName: null }).where(eq(scimIdentities.userId, userId));
  // B5: a request to join at their address waits no more.
  for (const email of oldEmails) await tx.delete(joinRequests).where(and(eq(joinRequests.accountId, erasure.accountId), eq(joinRequests.email, email)));
  // O3: review evidence keeps its lines, naming the placeholder — as the one reviewed, the reviewer, or who started it.
  await tx
    .update(accessReviewLines)
    .set({ email: erasure.email, name: erasure.name, why: replaced(sql`${accessReviewLines.why}`, erasure) })
    .where(and(eq(accessReviewLines.accountId, erasure.accountId), or(eq(accessReviewLines.userId, userId), ...oldEmails.map((email) => eq(accessReviewLines.email, email)))));
  await tx.update(accessReviewLines).set({ decidedByName: erasure.name }).where(eq(accessReviewLines.decidedBy, userId));
  await tx.update(accessReviews).set({ startedByName: erasure.name }).where(eq(accessReviews.startedBy, userId));
}

/** Queued bodies that may mention them (still encrypted): the account's, and any to their address. */
export async function encryptedBodiesOf(tx: Executor, accountId: string, userId: string) {
  return tx
    .select({ id: emailOutbox.id, bodyEncrypted: emailOutbox.bodyEncrypted, status: emailOutbox.status, userId: emailOutbox.userId })
    .from(emailOutbox)
    .where(and(isNotNull(emailOutbox.bodyEncrypted), or(eq(emailOutbox.accountId, accountId), eq(emailOutbox.userId, userId))));
}

export async function setEmailBody(tx: Executor, id: string, bodyEncrypted: string | null) {
  await tx.update(emailOutbox).set({ bodyEncrypted }).where(eq(emailOutbox.id, id));
}

export async function deleteEmail(tx: Executor, id: string) {
  await tx.delete(emailOutbox).where(eq(emailOutbox.id, id));
}

/**
 * T4, O1: rewrites the member's personal data in their account's audit rows (details,
 * target, user agent) and re-chains the account from the first rewritten row
 * (audit_rechain, migration 0025). UPDATE of audit_events is allowed only while
 * roster.audit_anonymise is on, for this transaction alone. The chain's head row is
 * locked first, as every audit writer does. Returns the first rewritten ID and how many rows.
 */
export async function redactAuditTrail(tx: Executor, erasure: Erasure): Promise<{ fromId: number | null; rewritten: number }> {
  await tx.execute(sql`select 1 from audit_chain_heads where account_id = ${erasure.accountId} for update`);
  const text = sql`coalesce(details::text, '') || ' ' || coalesce(target_id, '') || ' ' || coalesce(user_agent, '')`;
  await tx.execute(sql`select set_config('roster.audit_anonymise', 'on', true)`);
  const rows = rowsOf<{ id: string | number }>(
    await tx.execute(sql`
      update audit_events set
        details = ${replaced(sql`details::text`, erasure, true)}::jsonb,
        target_id = ${replaced(sql`target_id`, erasure)},
        user_agent = ${replaced(sql`user_agent`, erasure)}
      where account_id = ${erasure.accountId} and (${mentions(text, erasure)} or ${mentions(sql`details::text`, erasure, true)})
      returning id`),
  );
  await tx.execute(sql`select set_config('roster.audit_anonymise', 'off', true)`);
  if (!rows.length) return { fromId: null, rewritten: 0 };
  const fromId = Math.min(...rows.map((row) => Number(row.id)));
  await tx.execute(sql`select set_config('roster.audit_anonymise', 'on', true)`);
  await tx.execute(sql`select audit_rechain(${erasure.accountId}::uuid, ${fromId}::bigint)`);
  await tx.execute(sql`select set_config('roster.audit_anonymise', 'off', true)`);
  return { fromId, rewritten: rows.length };
}

/** T4: whether anything keeps the member's row: audit events they did, invitations they sent, resets they asked for. */
export async function rowIsReferenced(db: Executor, userId: string): Promise<boolean> {
  const [row] = rowsOf<{ referenced: boolean }>(
    await db.execute(sql`select exists (select 1 from audit_events where actor_id = ${userId}) or exists (select 1 from invitations where invited_by = ${userId})
      or exists (select 1 from password_resets where requested_by = ${userId}) as referenced`),
  );
  return Boolean(row?.referenced);
}

export async function deleteUserRow(tx: Executor, userId: string) {
  await tx.delete(users).where(eq(users.id, userId));
}
