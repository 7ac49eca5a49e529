/**
 * O1: every kind of audit event, with the label people read in the audit log. Writing an
 * event not listed here is a compile error (lib/audit/index.ts takes an AuditEvent).
 */
export const AUDIT_EVENTS = {
  "member.invited": "Invited a member",
  "member.invite_refused": "Invitation refused (address in use)",
  "invitation.accepted": "Accepted an invitation",
  "invitation.resent": "Re-sent an invitation",
  "invitation.revoked": "Revoked an invitation",
  "member.disabled": "Disabled a member",
  "member.enabled": "Enabled a member",
  "member.roles_changed": "Changed a member's roles",
  "workstation.created": "Created a shared workstation",
  "role.created": "Created a custom role",
  "role.updated": "Edited a custom role",
  "role.deleted": "Deleted a custom role",
  "app.subscribed": "Subscribed a member to an application",
  "app.unsubscribed": "Unsubscribed a member from an application",
  "app.roles_changed": "Changed a member's app roles",
  "password.changed": "Changed their password",
  "password.change_failed": "Wrong current password (password change)",
  "password.reset": "Reset their password",
  "password.reset_requested": "Asked for a password reset",
  "password.reset_sent_by_admin": "Sent a member a password reset",
  "profile.updated": "Updated their profile",
  "two_factor.enabled": "Turned two-factor authentication on",
  "two_factor.disabled": "Turned two-factor authentication off",
  "two_factor.start_failed": "Wrong current password (2FA setup)",
  "two_factor.disable_failed": "Wrong current password (2FA removal)",
  "two_factor.backup_code_used": "Signed in with a backup code",
  "two_factor.enforcement_changed": "Changed 2FA enforcement",
  "two_factor.removed_by_admin": "Removed a member's two-factor authentication",
  "step_up.failed": "Failed a step-up verification",
  "api_key.created": "Created an API key",
  "api_key.revoked": "Revoked an API key",
  "slack.non_members_changed": "Changed Slack access for non-members",
  "sso.linked": "Linked a member to single sign-on",
  "sso.member_created": "Joined through single sign-on",
  "sso.failed": "Single sign-on failed",
} as const satisfies Record<string, string>;

export type AuditEvent = keyof typeof AUDIT_EVENTS;
