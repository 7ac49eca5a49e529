import { and, asc, desc, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { staffHidden, withinReach, type MemberViewer } from "@/db/queries/members";
import { reachOf } from "@/lib/auth/principal";
import { emailOutbox, type OutboxEmail } from "@/db/schema";
import { config } from "@/lib/config";
import { decrypt, encrypt } from "@/lib/crypto";
import { isWorkstationAddress } from "@/lib/team/workstation-address";

export type EmailMessage = {
  accountId: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What caused it, e.g. "invitation", "step-up-code". */
  kind: string;
  /** O4: the person a security notice is about (their history on Personal Account → Security). */
  userId?: string;
};

/**
 * I2: every message is written to the outbox inside the caller's transaction, so it
 * exists exactly when the change that caused it committed. Delivery happens after commit.
 */
export async function enqueueEmail(tx: Executor, message: EmailMessage): Promise<string | null> {
  // A3: a shared workstation is a place, not a person, with no mailbox: nothing is sent to one.
  if (isWorkstationAddress(message.to)) return null;
  const hasProvider = Boolean(config().email.resendApiKey);
  const [row] = await tx
    .insert(emailOutbox)
    .values({
      accountId: message.accountId,
      toAddress: message.to,
      userId: message.userId ?? null,
      subject: message.subject,
      bodyEncrypted: encrypt(JSON.stringify({ text: message.text, html: message.html ?? null })),
      kind: message.kind,
      status: hasProvider ? "pending" : "stored",
    })
    .returning({ id: emailOutbox.id });
  return row.id;
}

export type EmailBody = { text: string; html: string | null };

export function readBody(row: Pick<OutboxEmail, "bodyEncrypted">): EmailBody | null {
  if (!row.bodyEncrypted) return null;
  return JSON.parse(decrypt(row.bodyEncrypted)) as EmailBody;
}

/**
 * Messages the Mailbox page may show a user: their own, and for one who may invite also the
 * invitations of their account (so a demo admin can pass links on). Never someone
 * else's codes or reset links: reading them would let one person act as another. T6:
 * invitations to the vendor's staff are left out unless the viewer is staff too.
 */
export async function listMailbox(db: Executor, viewer: MemberViewer & { seesInvitations: boolean }, staffEmailDomain?: string, limit = 50) {
  const accountInvitations = and(
    eq(emailOutbox.accountId, viewer.accountId),
    eq(emailOutbox.kind, "invitation"),
    staffHidden(viewer, { staffEmailDomain }, sql`lower(${emailOutbox.toAddress})`),
    // A4: an invitation link sets the invitee's password, so only for invitees within reach.
    recipientWithinReach(viewer),
  );
  const scope = viewer.seesInvitations ? or(eq(emailOutbox.toAddress, viewer.email), accountInvitations) : eq(emailOutbox.toAddress, viewer.email);
  const rows = await db.select().from(emailOutbox).where(scope).orderBy(desc(emailOutbox.createdAt)).limit(limit);
  return rows.map((row) => ({ ...row, body: readBody(row) }));
}

/** Claims due messages for delivery; SKIP LOCKED lets several instances share the work. */
export async function claimDueEmails(db: Executor, batch: number, leaseSeconds: number): Promise<OutboxEmail[]> {
  const due = db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(inArray(emailOutbox.status, ["pending", "sending"]), lte(emailOutbox.nextAttemptAt, sql`now()`)))
    .orderBy(asc(emailOutbox.nextAttemptAt))
    .limit(batch)
    .for("update", { skipLocked: true });
  // A claimed message whose sender died is "sending" with an expired lease: it is retried.
  return db
    .update(emailOutbox)
    .set({
      status: "sending",
      attempts: sql`${emailOutbox.attempts} + 1`,
      nextAttemptAt: sql`now() + make_interval(secs => ${leaseSeconds})`,
    })
    .where(inArray(emailOutbox.id, due))
    .returning();
}

export async function markSent(db: Executor, id: string, providerId: string | null) {
  // The body is no longer needed once the provider has it: do not keep codes at rest.
  await db
    .update(emailOutbox)
    .set({ status: "sent", providerId, sentAt: sql`now()`, bodyEncrypted: null, lastError: null })
    .where(eq(emailOutbox.id, id));
}

export async function markFailed(db: Executor, id: string, error: string, retryInSeconds: number | null) {
  await db
    .update(emailOutbox)
    .set(
      retryInSeconds === null
        ? { status: "failed", lastError: error }
        : { status: "pending", lastError: error, nextAttemptAt: sql`now() + make_interval(secs => ${retryInSeconds})` },
    )
    .where(eq(emailOutbox.id, id));
}

export type Delivery = Pick<OutboxEmail, "id" | "toAddress" | "kind" | "subject" | "status" | "attempts" | "lastError" | "createdAt" | "sentAt" | "nextAttemptAt">;

/**
 * I2: the delivery status of an account's email, for its primary users — who it went to,
 * what, and whether it arrived, is retrying or failed. Never the bodies (codes and links
 * are for their owner only). T6: mail to the vendor's staff is left out unless the viewer
 * is staff too.
 */
export async function listDeliveries(db: Executor, viewer: MemberViewer, staffEmailDomain?: string, limit = 100): Promise<Delivery[]> {
  return db
    .select({
      id: emailOutbox.id,
      toAddress: emailOutbox.toAddress,
      kind: emailOutbox.kind,
      subject: emailOutbox.subject,
      status: emailOutbox.status,
      attempts: emailOutbox.attempts,
      lastError: emailOutbox.lastError,
      createdAt: emailOutbox.createdAt,
      sentAt: emailOutbox.sentAt,
      nextAttemptAt: emailOutbox.nextAttemptAt,
    })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.accountId, viewer.accountId), staffHidden(viewer, { staffEmailDomain }, sql`lower(${emailOutbox.toAddress})`), recipientWithinReach(viewer)))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(limit);
}

/**
 * A4: for someone who invites only into some units, the mail of members in those units
 * alone (both pages that list the account's mail need "Invite people").
 */
function recipientWithinReach(viewer: MemberViewer) {
  const within = withinReach(reachOf(viewer, "members.invite"), sql`u.id`);
  // The outer row's columns by hand: inside the subquery a bare "account_id" would be u's.
  return within && sql`exists (select 1 from users u where u.account_id = "email_outbox"."account_id" and u.email = lower("email_outbox"."to_address") and ${within})`;
}
