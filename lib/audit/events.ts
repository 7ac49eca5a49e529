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
  "unit.created": "Created an organisation unit",
  "unit.renamed": "Renamed an organisation unit",
  "unit.moved": "Moved an organisation unit",
  "unit.deleted": "Deleted an organisation unit",
  "unit.member_added": "Put a member in a unit",
  "unit.member_removed": "Took a member out of a unit",
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
  "two_factor.backup_codes_regenerated": "Made new backup codes",
  "two_factor.backup_codes_failed": "Wrong current password (new backup codes)",
  "passkey.added": "Added a passkey",
  "passkey.renamed": "Renamed a passkey",
  "passkey.removed": "Removed a passkey",
  "passkey.add_failed": "Wrong current password (adding a passkey)",
  "passkey.remove_failed": "Wrong current password (removing a passkey)",
  "passkey.signed_in": "Signed in with a passkey",
  "passkey.refused": "Refused a passkey at sign-in",
  "session.ended": "Ended one of their sessions",
  "session.ended_others": "Ended all their other sessions",
  "member.sessions_ended": "Ended a member's sessions",
  "security.this_wasnt_me": "Said \"This wasn't me\": signed out everywhere",
  "step_up.failed": "Failed a step-up verification",
  "api_key.created": "Created an API key",
  "api_key.revoked": "Revoked an API key",
  "slack.non_members_changed": "Changed Slack access for non-members",
  "sso.linked": "Linked a member to single sign-on",
  "sso.member_created": "Joined through single sign-on",
  "sso.failed": "Single sign-on failed",
  "access.expiry_set": "Set when access expires",
  "access.expiry_removed": "Removed an access expiry",
  "access.renewed": "Renewed access",
  "access.expired": "Access expired",
  "access.warning_days_changed": "Changed when people are warned of expiring access",
  "audit.exported": "Exported the audit log",
  "audit.verified": "Verified the audit log's integrity",
  "audit.retention_changed": "Changed how long the audit log is kept",
  "audit.retention_applied": "Removed audit events past their retention",
} as const satisfies Record<string, string>;

export type AuditEvent = keyof typeof AUDIT_EVENTS;

export const isAuditEvent = (value: string): value is AuditEvent => Object.hasOwn(AUDIT_EVENTS, value);

/** The label people read for an action (one no longer in the catalogue reads as itself). */
export const auditLabel = (action: string) => (isAuditEvent(action) ? AUDIT_EVENTS[action] : action);

/** O1 "result": whether the event records something refused or failed, or something done. */
export const auditResult = (action: string): "failure" | "success" => (/(_failed|\.failed|refused|_refused)$/.test(action) ? "failure" : "success");
