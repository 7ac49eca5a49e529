import { count, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, contentItems, invitations, linesOfBusiness, slackConnections, subAccounts, users } from "@/db/schema";
import { randomToken, sha256 } from "@/lib/crypto";
import { hashPassword } from "@/lib/auth/password";

/** Public demo credentials, printed at start; the demo exists only on the embedded database by default. */
export const DEMO_PASSWORD = "Demo-Password-2026!";
export const DEMO = {
  primary: { email: "admin@acme.test", name: "Avery Admin" },
  secondary: { email: "sam@acme.test", name: "Sam Secondary" },
  disabled: { email: "dana@acme.test", name: "Dana Disabled" },
  invited: { email: "ivy@acme.test", name: "Ivy Invited" },
  otherPrimary: { email: "admin@globex.test", name: "Gale Globex" },
  otherSecondary: { email: "otto@globex.test", name: "Otto Globex" },
} as const;

/** Creates the demo accounts when the database has no account at all. Returns whether it did. */
export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    // Two consoles starting at once on one server: one seeds, the other then sees it done.
    await tx.execute(sql`select pg_advisory_xact_lock(7243020)`);
    const [{ n }] = await tx.select({ n: count() }).from(accounts);
    if (n > 0) return false;
    const [acme, globex] = await tx.insert(accounts).values([{ name: "Acme" }, { name: "Globex" }]).returning();
    const people = await tx
      .insert(users)
      .values([
        { accountId: acme.id, ...DEMO.primary, role: "primary", status: "active", passwordHash },
        { accountId: acme.id, ...DEMO.secondary, role: "secondary", status: "active", passwordHash },
        { accountId: acme.id, ...DEMO.disabled, role: "secondary", status: "disabled", passwordHash, disabledAt: new Date() },
        { accountId: acme.id, ...DEMO.invited, role: "secondary", status: "invited" },
        { accountId: globex.id, ...DEMO.otherPrimary, role: "primary", status: "active", passwordHash },
        { accountId: globex.id, ...DEMO.otherSecondary, role: "secondary", status: "active", passwordHash },
      ])
      .returning();
    const byEmail = new Map(people.map((p) => [p.email, p]));
    const own = (email: string, kind: "chat" | "dashboard" | "workflow", title: string) => {
      const owner = byEmail.get(email)!;
      return { accountId: owner.accountId, ownerId: owner.id, kind, title };
    };
    // Ivy's invitation link was "sent" before the demo began: Resend invitation mails a fresh one.
    const ivy = byEmail.get(DEMO.invited.email)!;
    const admin = byEmail.get(DEMO.primary.email)!;
    await tx.insert(invitations).values({
      accountId: acme.id,
      userId: ivy.id,
      email: ivy.email,
      tokenHash: sha256(randomToken(32)),
      invitedBy: admin.id,
      expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    });
    await tx.insert(slackConnections).values({ accountId: acme.id, teamId: "T0ACME01", teamName: "Acme HQ" });
    await tx.insert(linesOfBusiness).values(
      ["Retail", "Wholesale", "Online"].map((name) => ({ accountId: acme.id, name })).concat([{ accountId: globex.id, name: "Energy" }]),
    );
    await tx.insert(subAccounts).values(
      ["Acme East", "Acme West", "Acme Labs"].map((name) => ({ accountId: acme.id, name })).concat([{ accountId: globex.id, name: "Globex North" }]),
    );
    await tx.insert(contentItems).values([
      own(DEMO.primary.email, "dashboard", "Quarterly revenue"),
      own(DEMO.secondary.email, "chat", "Churn analysis with the assistant"),
      own(DEMO.secondary.email, "workflow", "Weekly pipeline digest"),
      own(DEMO.disabled.email, "dashboard", "Support backlog"),
      own(DEMO.disabled.email, "workflow", "Escalation triage"),
      own(DEMO.otherPrimary.email, "dashboard", "Globex operations"),
    ]);
    return true;
  });
}
