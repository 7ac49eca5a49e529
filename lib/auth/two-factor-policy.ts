/** P4: what "Enforce 2FA" means for one member right now. */
export type TwoFactorGate = { state: "none" } | { state: "grace"; deadline: Date } | { state: "required" };

export type TwoFactorPolicy = {
  enforceTwoFactor: boolean;
  /** The roles (keys, custom role IDs) enforcement applies to; null: everyone. */
  twoFactorRoles: string[] | null;
  twoFactorGraceDays: number;
  twoFactorEnforcedSince: Date | null;
};

/** The roles a member holds, by key (lib/auth/permissions.ts). */
type Holder = { roles: readonly { key: string }[] };

export function enforcementApplies(policy: TwoFactorPolicy, member: Holder): boolean {
  const chosen = policy.twoFactorRoles;
  return policy.enforceTwoFactor && (chosen === null || member.roles.some((role) => chosen.includes(role.key)));
}

/** P4, B1: a member with an authenticator app or a passkey has 2FA. */
export function twoFactorGate(policy: TwoFactorPolicy, member: Holder & { twoFactorEnabled: boolean }, now = new Date()): TwoFactorGate {
  if (member.twoFactorEnabled || !enforcementApplies(policy, member)) return { state: "none" };
  const since = policy.twoFactorEnforcedSince ?? now;
  const deadline = new Date(since.getTime() + policy.twoFactorGraceDays * 24 * 3600 * 1000);
  return now < deadline ? { state: "grace", deadline } : { state: "required" };
}

/** The 2FA column of the team table. */
export function twoFactorLabel(policy: TwoFactorPolicy, member: Holder & { twoFactorEnabled: boolean }): "On" | "Off" | "Required" | "Pending" {
  if (member.twoFactorEnabled) return "On";
  const gate = twoFactorGate(policy, member);
  return gate.state === "required" ? "Required" : gate.state === "grace" ? "Pending" : "Off";
}
