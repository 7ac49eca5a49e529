import { config } from "@/lib/config";
import { API_SCOPES, hasWriteScope, type ApiScope } from "@/lib/api/scopes";

/** I2: every message names the product from configuration (branding). */
function signature() {
  return `\n\n— ${config().appName}`;
}

// Advice in these emails names only steps the console offers today (no "This wasn't me"
// link yet): changing the password keeps the session that changes it and ends every other.
const CHANGE_PASSWORD_STEP = "change your password on Personal Account → Change password: that signs out every other session";

export function stepUpCodeEmail(input: { code: string; actionLabel: string; passwordManagedElsewhere: boolean }) {
  const { appName } = config();
  return {
    // The code stays out of the subject: subjects are stored unencrypted in the outbox.
    subject: `Your ${appName} verification code`,
    text:
      `Your ${appName} verification code is ${input.code}\n\n` +
      `It confirms this action: ${input.actionLabel}. It expires in 10 minutes and works once.\n` +
      `If you did not try to do this, someone may be using your session: ` +
      (input.passwordManagedElsewhere
        ? // SSO members have no password here; disabling an account ends all of its sessions.
          `ask another primary user of your account to disable your account and enable it again, which signs out every session.`
        : `${CHANGE_PASSWORD_STEP}.`) +
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

export function twoFactorEnabledEmail() {
  const { appName } = config();
  return {
    subject: `Two-factor authentication was turned on for your ${appName} account`,
    text:
      `Two-factor authentication was turned on for your account: from now on every sign-in asks for a code from the authenticator app that was set up.\n\n` +
      `If this was not you, someone else is using your account: reset your password and tell your administrator at once (they can remove two-factor authentication from your sign-in).` +
      signature(),
  };
}

export function twoFactorRemovedEmail(input: { byAdmin: boolean }) {
  const { appName } = config();
  return {
    subject: `Two-factor authentication was turned off on your ${appName} account`,
    text:
      (input.byAdmin
        ? `An administrator of your account removed two-factor authentication from your sign-in, for example because you lost your device. ` +
          `Every session of your account was signed out: sign in again with your password.\n\n`
        : `Two-factor authentication was turned off for your account.\n\n`) +
      `If your administrator requires it, you will be asked to set it up again the next time you sign in; ` +
      `otherwise you can set it up again on Personal Account → Two-Factor Authentication.\n` +
      (input.byAdmin
        ? `If you did not expect this, contact your administrator at once.`
        : `If this was not you, ${CHANGE_PASSWORD_STEP}. Then tell your administrator.`) +
      signature(),
  };
}

/** B2: an administrator ended every session of the person. No link, no secret: only what happened and what to do. */
export function sessionsEndedByAdminEmail() {
  const { appName } = config();
  return {
    subject: `An administrator signed you out of ${appName}`,
    text:
      `An administrator of your account ended every signed-in session of yours, on every device. ` +
      `Sign in again to carry on; any sign-in that was waiting for your two-factor code was cancelled too.\n\n` +
      `You can see where you are signed in on Personal Account → Security. If you did not expect this, contact your administrator.` +
      signature(),
  };
}

export function passwordResetEmail(input: { link: string; byAdmin: boolean }) {
  const { appName } = config();
  return {
    subject: `Reset your ${appName} password`,
    text:
      (input.byAdmin ? `An administrator of your account sent you this link to set a new password.\n\n` : `Someone (hopefully you) asked to reset your password.\n\n`) +
      `Set a new password:\n${input.link}\n\nThe link works once and expires in 1 hour. If you did not ask for it, ignore this email: your password stays as it is.` +
      signature(),
  };
}

export function passwordChangedEmail() {
  const { appName } = config();
  return {
    subject: `Your ${appName} password was changed`,
    text:
      `Your password was changed, and every other session of your account was signed out.\n\n` +
      `If this was not you, reset your password at once with "Forgot password?" on the sign-in page (that signs out every session) and tell your administrator.` +
      signature(),
  };
}

const utcDateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** O4: a key was created in the person's name. Never the key itself: only its prefix. */
export function apiKeyCreatedEmail(input: { name: string; prefix: string; scopes: readonly ApiScope[]; createdAt: Date; expiresAt: Date | null }) {
  const { appName, appUrl } = config();
  return {
    subject: `A new API key was created for your ${appName} account`,
    text:
      `An API key was created in your name.\n\n` +
      `Name: ${input.name}\n` +
      `Key: ${input.prefix}… (only its start: the full key was shown once, to whoever created it)\n` +
      `Scopes:\n${input.scopes.map((scope) => `  - ${scope}: ${API_SCOPES[scope].label}`).join("\n")}\n` +
      `Expires: ${input.expiresAt ? `${utcDateTime.format(input.expiresAt)} UTC` : "never"}\n` +
      `Created: ${utcDateTime.format(input.createdAt)} UTC\n\n` +
      (hasWriteScope(input.scopes) ? `This key can change your team, not only read it.\n\n` : "") +
      `If this was not you, revoke the key at once on Personal Account → API keys (${appUrl}/account/api-keys) and change your password.` +
      signature(),
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
