import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { roleGrants, users } from "@/db/schema";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Executor, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, normaliseEmail(email))).limit(1);
  return user ?? null;
}

export async function findMember(db: Executor, accountId: string, userId: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.accountId, accountId), eq(users.id, userId)))
    .limit(1);
  return user ?? null;
}

/** Recorded at most once a minute per user so busy pages do not write on every request. */
export async function touchLastActive(db: Executor, userId: string) {
  await db
    .update(users)
    .set({ lastActiveAt: sql`now()` })
    .where(and(eq(users.id, userId), sql`(${users.lastActiveAt} is null or ${users.lastActiveAt} < now() - interval '1 minute')`));
}

type NewMember = typeof users.$inferInsert;
const DEFAULT_ROLES: readonly GrantRef[] = ["member"];
/** A role to give a new member: a predefined role's key, or a custom role by ID. */
export type GrantRef = string | { key: string; custom: boolean };

/**
 * Inserts members with their roles (A3) — every member holds at least one, Member unless
 * said otherwise. Returns the rows in the order given.
 */
export async function insertMembers(db: Executor, members: readonly (NewMember & { roles?: readonly GrantRef[] })[], grantedBy: string | null = null) {
  if (members.length === 0) return [];
  const rows = await db.insert(users).values(members.map((member) => ({ ...member, roles: undefined }))).returning();
  const grants = rows.flatMap((row, i) =>
    (members[i].roles ?? DEFAULT_ROLES).map((ref) => {
      const role = typeof ref === "string" ? { key: ref, custom: false } : ref;
      return { accountId: row.accountId, userId: row.id, roleKey: role.custom ? null : role.key, customRoleId: role.custom ? role.key : null, grantedBy };
    }),
  );
  if (grants.length) await db.insert(roleGrants).values(grants);
  return rows.map((row, i) => ({ ...row, roles: members[i].roles ?? DEFAULT_ROLES }));
}

/** T2: the invited person's own name and password; from now they are Active. */
export async function activateInvitedUser(db: Executor, userId: string, values: { name: string; passwordHash: string }) {
  const [user] = await db
    .update(users)
    .set({ ...values, status: "active" })
    .where(eq(users.id, userId))
    .returning({ accountId: users.accountId });
  return user;
}

/** Who a user is and where to write to them: for a security notice and its audit row. */
export async function findUserContact(db: Executor, userId: string) {
  const [user] = await db.select({ id: users.id, accountId: users.accountId, email: users.email }).from(users).where(eq(users.id, userId));
  return user;
}

export async function setUserName(db: Executor, userId: string, name: string) {
  await db.update(users).set({ name }).where(eq(users.id, userId));
}
