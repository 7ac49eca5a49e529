import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { isProvisionedByScim } from "@/db/queries/scim";
import { findUserByEmail } from "@/db/queries/users";
import { users, type IdentityProvider } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { joinThroughVerifiedDomain } from "@/lib/connections/join";
import { accessEnded } from "@/lib/expiry/validate";
import type { RequestContext } from "@/lib/request";

export type SsoProfile = { sub: string; email?: string | null; emailVerified?: boolean | null; name?: string | null };
export type SsoResolution = { ok: true; userId: string; created: boolean } | {
      ok: false;
      code: "disabled" | "expired" | "domain" | "conflict" | "no-email" | "unverified-link" | "pending";
      /** O2: the member it concerns, when one is known (their sign-in history shows the refusal). */
      userId?: string;
    };

/**
 * T7: who an SSO sign-in is. A returning person is matched by the IdP's subject (never by
 * email alone). A new person joins only through a domain the account has verified (B5:
 * lib/connections/join.ts — at once, or after an administrator approves); an existing
 * member with that address is joined to the IdP identity only when the IdP says the
 * email is verified.
 */
export async function resolveSsoMember(tx: Executor, idp: IdentityProvider, profile: SsoProfile, context: RequestContext): Promise<SsoResolution> {
  const [known] = await tx
    .select({ id: users.id, status: users.status, accessExpiresAt: users.accessExpiresAt })
    .from(users)
    .where(and(eq(users.accountId, idp.accountId), eq(users.ssoSubject, profile.sub)))
    .limit(1);
  if (known && known.status !== "active") return { ok: false, code: "disabled", userId: known.id };
  // A5: the IdP vouches for who they are, not for how long this account lets them in.
  if (known && accessEnded(known.accessExpiresAt)) return { ok: false, code: "expired", userId: known.id };
  if (known) return { ok: true, userId: known.id, created: false };

  const email = profile.email?.trim().toLowerCase();
  if (!email || profile.emailVerified === false) return { ok: false, code: "no-email" };
  if (!idp.emailDomains.includes(email.split("@")[1] ?? "")) return { ok: false, code: "domain" };

  const existing = await findUserByEmail(tx, email);
  if (existing) {
    // The same address in this account, not yet linked: the IdP now owns this identity.
    if (existing.accountId !== idp.accountId || existing.ssoSubject) return { ok: false, code: "conflict" };
    if (existing.status === "disabled") return { ok: false, code: "disabled", userId: existing.id };
    if (accessEnded(existing.accessExpiresAt)) return { ok: false, code: "expired", userId: existing.id };
    // Joining an existing account to an IdP identity needs the IdP to vouch for the address:
    // without email_verified (Entra leaves it out; its email can be edited), anyone able to
    // set that email at the IdP would take the account over. One exception (B3): a member this
    // account's IdP itself provisioned through SCIM, who has no password of their own here —
    // the IdP is the only way into that membership already, so linking hands it nothing new.
    const vouched = profile.emailVerified === true || (existing.passwordHash === null && (await isProvisionedByScim(tx, existing)));
    if (!vouched) return { ok: false, code: "unverified-link" };
    await tx.update(users).set({ ssoSubject: profile.sub, status: "active" }).where(eq(users.id, existing.id));
    await recordAudit(tx, { accountId: idp.accountId, actorId: existing.id, action: "sso.linked", target: { type: "user", id: existing.id }, details: { email }, context });
    return { ok: true, userId: existing.id, created: false };
  }

  const joined = await joinThroughVerifiedDomain(tx, idp.accountId, { email, name: (profile.name ?? "").slice(0, 100), ssoSubject: profile.sub }, context);
  return joined.ok ? { ok: true, userId: joined.userId, created: true } : joined;
}

export const SSO_ERRORS: Record<string, string> = {
  disabled: "Your access to this account is disabled. Contact your administrator.",
  expired: "Your access to this account has expired. Ask an administrator of your account to renew it.",
  domain: "Your identity provider signed you in, but your email domain is not allowed for this account.",
  conflict: "This email address already belongs to another account. Contact your administrator.",
  "no-email": "Your identity provider did not share a verified email address.",
  "unverified-link": "Your identity provider did not confirm this email address, so it cannot be joined to your existing account. Contact your administrator.",
  pending: "Your request to join has been sent to your administrator. You can sign in once they approve it.",
  "no-provider": "Single sign-on is not set up for that email address.",
  failed: "Single sign-on did not complete. Try again, or contact your administrator.",
};
