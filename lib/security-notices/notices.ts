import type { Executor } from "@/db/client";
import { findNoticeRecipient, listSecurityNoticesOf, type NoticeRecipient } from "@/db/queries/security-notices";
import { enqueueEmail } from "@/lib/email";
import {
  apiKeyCreatedEmail,
  authenticatorAppRemovedEmail,
  backupCodesRegeneratedEmail,
  newDeviceEmail,
  passkeyAddedEmail,
  passkeyRemovedEmail,
  passwordChangedEmail,
  sessionsEndedByAdminEmail,
  signature,
  twoFactorEnabledEmail,
  twoFactorRemovedEmail,
  type NoticeContent,
} from "@/lib/email/templates";
import { issueThisWasntMeLink, THIS_WASNT_ME_TTL_DAYS } from "./links";

/**
 * O4: every security notice, by kind, with the template that words it (and the details it
 * takes). Adding a notice is one line here and one call of sendSecurityNotice.
 */
export const SECURITY_NOTICES = {
  "password-changed": passwordChangedEmail,
  "two-factor-enabled": twoFactorEnabledEmail,
  "two-factor-disabled": () => twoFactorRemovedEmail({ byAdmin: false }),
  "two-factor-removed-by-admin": () => twoFactorRemovedEmail({ byAdmin: true }),
  "backup-codes-regenerated": backupCodesRegeneratedEmail,
  "api-key-created": apiKeyCreatedEmail,
  "sessions-ended-by-admin": sessionsEndedByAdminEmail,
  "new-device": newDeviceEmail,
  "passkey-added": passkeyAddedEmail,
  "passkey-removed": passkeyRemovedEmail,
  "authenticator-app-removed": authenticatorAppRemovedEmail,
} as const satisfies Record<string, (details: never) => NoticeContent>;

export type SecurityNoticeKind = keyof typeof SECURITY_NOTICES;
/** The details a kind's template takes: none, or one object. */
export type NoticeDetails<K extends SecurityNoticeKind> = Parameters<(typeof SECURITY_NOTICES)[K]>;

/** What every notice ends with: whose account it is (branding), and what "This wasn't me" does. */
function footer(recipient: NoticeRecipient, link: string | null) {
  const account = `Account: ${recipient.accountName} (${recipient.email})`;
  if (!link) return `\n\n${account}`;
  const does = recipient.hasPassword
    ? `signs you out everywhere, revokes your API keys and has you set a new password`
    : // SSO members have no password here: their identity provider holds it.
      `signs you out everywhere and revokes your API keys (change your password with your identity provider)`;
  return (
    `\n\n${account}\n\n` +
    `This wasn't me: if you did not do this, open this link. Once you confirm, it ${does}:\n${link}\n` +
    `It works once and expires in ${THIS_WASNT_ME_TTL_DAYS} days.`
  );
}

/**
 * O4: the one way to send a security notice. It is queued in the caller's transaction (so
 * it exists exactly when the change it reports committed), addressed to the person as
 * stored now, names their account, and carries a fresh single-use "This wasn't me" link.
 * Never a secret: templates get only what is safe to show. Returns the outbox ID, or null
 * when there is nobody to write to (a shared workstation has no mailbox).
 */
export async function sendSecurityNotice<K extends SecurityNoticeKind>(tx: Executor, recipient: { id: string }, kind: K, ...details: NoticeDetails<K>): Promise<string | null> {
  const person = await findNoticeRecipient(tx, recipient.id);
  if (!person || person.kind === "workstation") return null;
  const content = (SECURITY_NOTICES[kind] as (...args: unknown[]) => NoticeContent)(...details);
  // A disabled person cannot act on the link (it would read as not valid): they get the news only.
  const link = person.status === "active" ? await issueThisWasntMeLink(tx, person.id, kind) : null;
  return enqueueEmail(tx, {
    accountId: person.accountId,
    userId: person.id,
    to: person.email,
    kind: "security-notice",
    subject: content.subject,
    text: content.text + footer(person, link) + signature(),
  });
}

export type NoticeHistoryRow = { id: string; subject: string; status: "Queued" | "Sending" | "Sent" | "Not delivered" | "In the Mailbox"; at: Date };

const STATUS_LABELS = { pending: "Queued", sending: "Sending", sent: "Sent", failed: "Not delivered", stored: "In the Mailbox" } as const;

/** O4: the last notices sent to the principal themselves (Personal Account → Security): subject, status, when. */
export async function listOwnSecurityNotices(db: Executor, principal: { id: string; accountId: string }, limit = 20): Promise<NoticeHistoryRow[]> {
  const rows = await listSecurityNoticesOf(db, principal.accountId, principal.id, limit);
  return rows.map((row) => ({ id: row.id, subject: row.subject, status: STATUS_LABELS[row.status], at: row.sentAt ?? row.createdAt }));
}
