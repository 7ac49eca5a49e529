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
