import { count, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { accounts, appSubscriptions, customRoles, resources, resourceShares, teamMembers, teams, invitations, linesOfBusiness, roleGrants, slackConnections, subAccounts } from "@/db/schema";
import { listApplications } from "@/db/queries/apps";
import { addUnitMember, insertUnit } from "@/db/queries/units";
import { insertMembers } from "@/db/queries/users";
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
  /** A4: the Restricted administrator of Acme's EMEA unit, who sees and manages EMEA alone. */
  unitAdmin: { email: "rhea@acme.test", name: "Rhea Regional" },
} as const;

/** A5: the demo's contractor, whose access expires (not part of the e2e suite's accounts). */
export const DEMO_CONTRACTOR = { email: "casey@acme.test", name: "Casey Contractor" };

type Person = { email: string; name: string };

/** The people of a sample account: an admin, a member, a disabled member and an invited one. */
export type SampleAccountPeople = { primary: Person; secondary: Person; disabled: Person; invited: Person };

/**
 * One account as the demo shows it — its people (password `passwordHash`), Ivy's pending
 * invitation, a Slack workspace, lines of business, sub-accounts and some content.
 * The demo's Acme, and the e2e suite's fresh account per test, are made by this.
 */
export async function createSampleAccount(tx: Tx, input: { name: string; people: SampleAccountPeople; passwordHash: string; slackTeamId: string }) {
  const { people: p, passwordHash } = input;
  const [account] = await tx.insert(accounts).values({ name: input.name }).returning();
  const rows = await insertMembers(tx, [
    { accountId: account.id, ...p.primary, roles: ["admin"], status: "active", passwordHash },
    { accountId: account.id, ...p.secondary, roles: ["member"], status: "active", passwordHash },
    { accountId: account.id, ...p.disabled, roles: ["member"], status: "disabled", passwordHash, disabledAt: new Date() },
    { accountId: account.id, ...p.invited, roles: ["member"], status: "invited" },
  ]);
  const [admin, member, disabled, invited] = rows;
  // The invitation link was "sent" before the demo began: Resend invitation mails a fresh one.
  await tx.insert(invitations).values({
    accountId: account.id,
    userId: invited.id,
    email: invited.email,
    tokenHash: sha256(randomToken(32)),
    invitedBy: admin.id,
    expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000),
  });
  await tx.insert(slackConnections).values({ accountId: account.id, teamId: input.slackTeamId, teamName: `${input.name} HQ` });
  await tx.insert(linesOfBusiness).values(["Retail", "Wholesale", "Online"].map((name) => ({ accountId: account.id, name })));
  await tx.insert(subAccounts).values(["East", "West", "Labs"].map((name) => ({ accountId: account.id, name: `${input.name} ${name}` })));
  // A6: what people own — the member keeps two items, the disabled member two (T3: still there for the team).
  const own = (owner: { id: string }, kind: "chat" | "dashboard" | "workflow" | "app" | "project" | "data_source", name: string, size?: { cpuMillis: number; memoryMb: number; storageGb: number }) => ({
    accountId: account.id,
    ownerId: owner.id,
    kind,
    name,
    ...size,
  });
  const [team] = await tx.insert(teams).values({ accountId: account.id, name: "Analytics", description: "Dashboards and models for the business.", leadId: admin.id, maxCpuMillis: 8000, maxMemoryMb: 16384, maxStorageGb: 200, maxApps: 3, maxWorkflows: 5, maxWorkspaces: 4 }).returning();
  await tx.insert(teamMembers).values([{ teamId: team.id, userId: admin.id }, { teamId: team.id, userId: member.id }]);
  const [revenue, project] = await tx
    .insert(resources)
    .values([
      own(admin, "dashboard", "Quarterly revenue"),
      own(admin, "project", "Customer insights"),
      { ...own(admin, "app", "Revenue explorer", { cpuMillis: 1000, memoryMb: 2048, storageGb: 10 }), teamId: team.id },
      own(member, "chat", "Churn analysis with the assistant"),
      { ...own(member, "workflow", "Weekly pipeline digest", { cpuMillis: 500, memoryMb: 1024, storageGb: 5 }), teamId: team.id },
      own(disabled, "dashboard", "Support backlog"),
      { ...own(disabled, "workflow", "Escalation triage", { cpuMillis: 250, memoryMb: 512, storageGb: 1 }) },
    ])
    .returning();
  await tx.insert(resources).values([
    { accountId: account.id, ownerId: admin.id, kind: "workspace", name: "Churn model", parentId: project.id, teamId: team.id },
    { accountId: account.id, ownerId: admin.id, kind: "data_source", name: "Sales warehouse", allUsers: true },
  ]);
  await tx.insert(resourceShares).values([
    { resourceId: revenue.id, teamId: team.id, level: "view" },
    { resourceId: project.id, teamId: team.id, level: "edit" },
  ]);
  return { account, admin, member, disabled, invited };
}

/** Creates the demo accounts when the database has no account at all. Returns whether it did. */
export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    // Two consoles starting at once on one server: one seeds, the other then sees it done.
    await tx.execute(sql`select pg_advisory_xact_lock(7243020)`);
    const [{ n }] = await tx.select({ n: count() }).from(accounts);
    if (n > 0) return false;
    const acme = await createSampleAccount(tx, { name: "Acme", people: DEMO, passwordHash, slackTeamId: "T0ACME01" });
    await addDemoAccess(tx, acme);
    // A5: a contractor whose access ends in three weeks, Developer for the first two.
    const days = (n: number) => new Date(Date.now() + n * 86_400_000);
    const [casey] = await insertMembers(tx, [{ accountId: acme.account.id, ...DEMO_CONTRACTOR, roles: ["member"], status: "active", passwordHash, accessExpiresAt: days(21) }]);
    await tx.insert(roleGrants).values({ accountId: acme.account.id, userId: casey.id, roleKey: "developer", grantedBy: acme.admin.id, expiresAt: days(14) });
    await addDemoUnits(tx, acme, passwordHash);
    const [globex] = await tx.insert(accounts).values({ name: "Globex" }).returning();
    const [gale] = await insertMembers(tx, [
      { accountId: globex.id, ...DEMO.otherPrimary, roles: ["admin"], status: "active", passwordHash },
      { accountId: globex.id, ...DEMO.otherSecondary, roles: ["member"], status: "active", passwordHash },
    ]);
    await tx.insert(linesOfBusiness).values({ accountId: globex.id, name: "Energy" });
    await tx.insert(subAccounts).values({ accountId: globex.id, name: "Globex North" });
    await tx.insert(resources).values({ accountId: globex.id, ownerId: gale.id, kind: "dashboard", name: "Globex operations" });
    return true;
  });
}

/**
 * A3, A8 in the demo: a custom role to look at on the Roles page, and application access
 * (the admin uses Studio as a Publisher and Insights; Sam runs Workflows).
 */
async function addDemoAccess(tx: Tx, acme: { account: { id: string }; admin: { id: string }; member: { id: string } }) {
  await tx.insert(customRoles).values({
    accountId: acme.account.id,
    name: "Support lead",
    description: "Sees the team and helps members: password resets, lost 2FA devices.",
    permissions: ["members.read", "members.manage", "content.view", "content.comment", "tasks.assignable", "notifications.receive"],
  });
  const apps = await listApplications(tx);
  const app = (key: string) => apps.find((entry) => entry.key === key)!.id;
  await tx.insert(appSubscriptions).values([
    { accountId: acme.account.id, userId: acme.admin.id, applicationId: app("studio"), appRoleKeys: ["user", "publisher"] },
    { accountId: acme.account.id, userId: acme.admin.id, applicationId: app("insights"), appRoleKeys: ["reader"] },
    { accountId: acme.account.id, userId: acme.member.id, applicationId: app("workflows"), appRoleKeys: ["runner"] },
  ]);
}

/**
 * A4 in the demo: Acme → EMEA (Germany → Plant 2, France) and Americas, people in them,
 * and Rhea, Restricted administrator of EMEA: signed in as her, the team is EMEA's.
 */
async function addDemoUnits(tx: Tx, acme: { account: { id: string }; admin: { id: string }; member: { id: string }; disabled: { id: string } }, passwordHash: string) {
  const accountId = acme.account.id;
  const unit = async (name: string, parentId: string | null) => (await insertUnit(tx, { accountId, parentId, name })).id;
  const top = await unit("Acme", null);
  const emea = await unit("EMEA", top);
  const germany = await unit("Germany", emea);
  const plant = await unit("Plant 2", germany);
  const france = await unit("France", emea);
  const americas = await unit("Americas", top);
  const [rhea, hugo, bea] = await insertMembers(tx, [
    { accountId, ...DEMO.unitAdmin, roles: ["member"], status: "active", passwordHash },
    { accountId, email: "hugo@acme.test", name: "Hugo Plant", roles: ["member"], status: "active", passwordHash },
    { accountId, email: "bea@acme.test", name: "Bea Americas", roles: ["member"], status: "active", passwordHash },
  ]);
  await tx.insert(roleGrants).values({ accountId, userId: rhea.id, roleKey: "restricted_admin", unitId: emea, grantedBy: acme.admin.id });
  for (const [userId, unitId] of [
    [acme.admin.id, top],
    [rhea.id, emea],
    [acme.member.id, germany],
    [hugo.id, plant],
    [acme.disabled.id, france],
    [bea.id, americas],
  ]) {
    await addUnitMember(tx, unitId, userId);
  }
}
