import { config } from "@/lib/config";
import { API_SCOPES, hasWriteScope, type ApiScope } from "@/lib/api/scopes";

/** I2: every message names the product from configuration (branding). */
export function signature() {
  return `\n\n— ${config().appName}`;
}

export function stepUpCodeEmail(input: { code: string; actionLabel: string; passwordManagedElsewhere: boolean; thisWasntMeLink: string }) {
  const { appName } = config();
  return {
    // The code stays out of the subject: subjects are stored unencrypted in the outbox.
    subject: `Your ${appName} verification code`,
    text:
      `Your ${appName} verification code is ${input.code}\n\n` +
      `It confirms this action: ${input.actionLabel}. It expires in 10 minutes and works once.\n\n` +
      `If you did not ask for this, someone may be using your session. Do not share the code. Open this "This wasn't me" link: ` +
      (input.passwordManagedElsewhere
        ? // SSO members have no password here: their identity provider holds it.
          `once you confirm, it signs you out everywhere (then change your password with your identity provider).`
        : `once you confirm, it signs you out everywhere and has you set a new password.`) +
      `\n${input.thisWasntMeLink}` +
      signature(),
  };
}

export function invitationEmail(input: { inviterName: string; accountName: string; link: string }) {
  const { appName } = config();
  return {
    subject: `${input.inviterName} invited you to ${input.accountName} on ${appName}`,
    text:
      `${input.inviterName} invited you to join ${input.accountName} on ${appName}.\n\n` +
      `Accept the invitation and set your password:\n${input.link}\n\n` +
      `The link works once and expires in 7 days.` +
      signature(),
  };
}

/** Why a reset link went out: the person asked, an administrator sent it, or "This wasn't me" requires a new password. */
export type ResetReason = "asked" | "admin" | "this-wasnt-me";

const RESET_OPENING: Record<ResetReason, string> = {
  asked: `Someone (hopefully you) asked to reset your password.`,
  admin: `An administrator of your account sent you this link to set a new password.`,
  "this-wasnt-me": `You said "This wasn't me": every session of yours was signed out, and your old password no longer signs you in.`,
};

export function passwordResetEmail(input: { link: string; reason: ResetReason }) {
  const { appName } = config();
  return {
    subject: `Reset your ${appName} password`,
    text:
      `${RESET_OPENING[input.reason]}\n\n` +
      `Set a new password:\n${input.link}\n\nThe link works once and expires in 1 hour. ` +
      (input.reason === "this-wasnt-me"
        ? `If it expires, ask for a new one with "Forgot password?" on the sign-in page.`
        : `If you did not ask for it, ignore this email: your password stays as it is.`) +
      signature(),
  };
}

/**
 * O4: security notices — what happened and what to do, never a secret. These are bodies:
 * sendSecurityNotice (lib/security-notices/notices.ts) adds the account, the time, the
 * "This wasn't me" link and the signature.
 */
export type NoticeContent = { subject: string; text: string };

export function passwordChangedEmail(): NoticeContent {
  const { appName } = config();
  return {
    subject: `Your ${appName} password was changed`,
    text: `Your password was changed, and every other session of your account was signed out.`,
  };
}

export function twoFactorEnabledEmail(): NoticeContent {
  const { appName } = config();
  return {
    subject: `Two-factor authentication was turned on for your ${appName} account`,
    text:
      `Two-factor authentication was turned on for your account: from now on every sign-in asks for a code from the authenticator app that was set up.\n\n` +
      `If this was not you, someone else holds that app: after "This wasn't me" below, ask your administrator to remove two-factor authentication from your sign-in.`,
  };
}

export function twoFactorRemovedEmail(input: { byAdmin: boolean }): NoticeContent {
  const { appName } = config();
  return {
    subject: `Two-factor authentication was turned off on your ${appName} account`,
    text:
      (input.byAdmin
        ? `An administrator of your account removed two-factor authentication from your sign-in, for example because you lost your device. ` +
          `Every session of your account was signed out: sign in again with your password.\n\n`
        : `Two-factor authentication was turned off for your account.\n\n`) +
      `If your administrator requires it, you will be asked to set it up again the next time you sign in; ` +
      `otherwise you can set it up again on Personal Account → Two-Factor Authentication.` +
      (input.byAdmin ? `\nIf you did not expect this, contact your administrator.` : ""),
  };
}

/** B1: a passkey was added to the person's sign-in. Its name only: nothing of the key. */
export function passkeyAddedEmail(input: { name: string }): NoticeContent {
  const { appName } = config();
  return {
    subject: `A passkey was added to your ${appName} account`,
    text:
      `A passkey named "${input.name}" was added to your account. It can now sign you in without a password, and it counts as your second step at sign-in.\n\n` +
      `If this was not you, someone else holds that passkey: after "This wasn't me" below, remove it on Personal Account → Security, or ask your administrator to remove two-factor authentication from your sign-in.`,
  };
}

/** B1: a passkey was removed from the person's sign-in. */
export function passkeyRemovedEmail(input: { name: string }): NoticeContent {
  const { appName } = config();
  return {
    subject: `A passkey was removed from your ${appName} account`,
    text: `The passkey named "${input.name}" was removed from your account: it no longer signs you in.`,
  };
}

/** P3 with B1: the authenticator app was turned off while passkeys still guard the sign-in. */
export function authenticatorAppRemovedEmail(): NoticeContent {
  const { appName } = config();
  return {
    subject: `The authenticator app was removed from your ${appName} account`,
    text: `Codes from an authenticator app no longer sign you in, and your backup codes no longer work. Your passkeys still do: two-factor authentication stays on.`,
  };
}

export function backupCodesRegeneratedEmail(): NoticeContent {
  const { appName } = config();
  return {
    subject: `New backup codes were made for your ${appName} account`,
    text: `New two-factor backup codes were made for your account, and the old ones no longer work. The codes themselves are never emailed.`,
  };
}

/** B2: an administrator ended every session of the person. No link to a session, no secret: only what happened and what to do. */
export function sessionsEndedByAdminEmail(): NoticeContent {
  const { appName } = config();
  return {
    subject: `An administrator signed you out of ${appName}`,
    text:
      `An administrator of your account ended every signed-in session of yours, on every device. ` +
      `Sign in again to carry on; any sign-in that was waiting for your two-factor code was cancelled too.\n\n` +
      `You can see where you are signed in on Personal Account → Security. If you did not expect this, contact your administrator.`,
  };
}

const utcDateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
export const formatUtc = (at: Date) => `${utcDateTime.format(at)} UTC`;

/** O4: a key was created in the person's name. Never the key itself: only its prefix. */
export function apiKeyCreatedEmail(input: { name: string; prefix: string; scopes: readonly ApiScope[]; createdAt: Date; expiresAt: Date | null }): NoticeContent {
  const { appName, appUrl } = config();
  return {
    subject: `A new API key was created for your ${appName} account`,
    text:
      `An API key was created in your name.\n\n` +
      `Name: ${input.name}\n` +
      `Key: ${input.prefix}… (only its start: the full key was shown once, to whoever created it)\n` +
      `Scopes:\n${input.scopes.map((scope) => `  - ${scope}: ${API_SCOPES[scope].label}`).join("\n")}\n` +
      `Expires: ${input.expiresAt ? formatUtc(input.expiresAt) : "never"}\n` +
      `Created: ${formatUtc(input.createdAt)}\n\n` +
      (hasWriteScope(input.scopes) ? `This key can change your team, not only read it.\n\n` : "") +
      `Your keys are on Personal Account → API keys (${appUrl}/account/api-keys). If this was not you, "This wasn't me" below revokes every key of yours too.`,
  };
}

/** O4: a sign-in from a browser and system, or a network, not seen in the last 90 days. */
export function newDeviceEmail(input: { browser: string; os: string; ip: string | null; at: Date }): NoticeContent {
  const { appName } = config();
  return {
    subject: `New sign-in to your ${appName} account`,
    text:
      `Your account was signed in to from a device or network it was not signed in from in the last 90 days.\n\n` +
      `Browser: ${input.browser} on ${input.os}\n` +
      `Address: ${input.ip ?? "unknown"}\n` +
      `When: ${formatUtc(input.at)}\n\n` +
      `If this was you, there is nothing to do. You can see where you are signed in on Personal Account → Security.`,
  };
}

/** A5: one line per thing that expires ("the Developer role — 1 Mar 2027, 09:00 UTC"). */
export type ExpiryLine = { who?: string; what: string; expiresAt: Date };
const expiryLine = (line: ExpiryLine) => `  - ${line.who ? `${line.who}: ` : ""}${line.what} — ${utcDateTime.format(line.expiresAt)} UTC`;

/** A5: the person is warned before their access (or part of it) ends, with what to do. */
export function accessExpiryWarningEmail(input: { accountName: string; lines: readonly ExpiryLine[] }) {
  const { appName } = config();
  return {
    subject: `Your access to ${input.accountName} on ${appName} expires soon`,
    text:
      `Some of your access to ${input.accountName} on ${appName} is set to end:\n\n` +
      `${input.lines.map(expiryLine).join("\n")}\n\n` +
      `After that time it stops working by itself. If you still need it, ask an administrator of ${input.accountName} to renew it.` +
      signature(),
  };
}

/** A5: the account's Admins learn what expired since the last summary, and where to renew it. */
export function accessExpiredSummaryEmail(input: { accountName: string; lines: readonly ExpiryLine[] }) {
  const { appName, appUrl } = config();
  const n = input.lines.length;
  return {
    subject: `Access expired in ${input.accountName}: ${n} ${n === 1 ? "item" : "items"}`,
    text:
      `This access to ${input.accountName} on ${appName} reached its expiry and has ended:\n\n` +
      `${input.lines.map(expiryLine).join("\n")}\n\n` +
      `To give it back, open the member on User Management (${appUrl}/users) and choose Renew. The audit log records each expiry.` +
      signature(),
  };
}

/** O3: the account's reviewers learn an access review is due, and again when it is overdue. */
export function accessReviewReminderEmail(input: { accountName: string; dueAt: Date; overdue: boolean }) {
  const { appName, appUrl } = config();
  const due = utcDateTime.format(input.dueAt);
  return {
    subject: input.overdue ? `Access review overdue for ${input.accountName}` : `Access review due for ${input.accountName}`,
    text:
      (input.overdue
        ? `The access review of ${input.accountName} on ${appName} was due on ${due} UTC and has not been completed.\n\n`
        : `It is time to review who has access to ${input.accountName} on ${appName} (due ${due} UTC).\n\n`) +
      `Start or finish a review on Access reviews (${appUrl}/reviews): it lists admins, inactive people, access that expires soon, people without 2FA and old invitations, for you to keep or change.` +
      signature(),
  };
}
