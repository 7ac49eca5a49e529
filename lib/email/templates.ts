import { config } from "@/lib/config";

/** I2: every message names the product from configuration (branding). */
function signature() {
  return `\n\n— ${config().appName}`;
}

export function stepUpCodeEmail(input: { code: string; actionLabel: string }) {
  const { appName } = config();
  return {
    // The code stays out of the subject: subjects are stored unencrypted in the outbox.
    subject: `Your ${appName} verification code`,
    text:
      `Your ${appName} verification code is ${input.code}\n\n` +
      `It confirms this action: ${input.actionLabel}. It expires in 10 minutes and works once.\n` +
      `If you did not try to do this, someone may be using your session: sign out everywhere and change your password.` +
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
        ? `An administrator of your account removed two-factor authentication from your sign-in, for example because you lost your device.\n\n`
        : `Two-factor authentication was turned off for your account.\n\n`) +
      `If your administrator requires it, you will be asked to set it up again the next time you sign in.\n` +
      `If you did not expect this, contact your administrator at once.` +
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
      `If this was not you, reset your password at once and tell your administrator.` +
      signature(),
  };
}
