import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { linesOfBusiness, profiles, subAccounts } from "@/db/schema";

export type ProfileSettings = {
  phone: string | null;
  avatarVersion: number | null;
  productUpdates: boolean;
  defaultLineOfBusinessId: string | null;
  highlightedSubAccountIds: string[];
};

/** A member's settings; defaults when they never saved any. */
export async function getProfile(db: Executor, userId: string): Promise<ProfileSettings> {
  const [row] = await db
    .select({
      phone: profiles.phone,
      avatarUpdatedAt: profiles.avatarUpdatedAt,
      productUpdates: profiles.productUpdates,
      defaultLineOfBusinessId: profiles.defaultLineOfBusinessId,
      highlightedSubAccountIds: profiles.highlightedSubAccountIds,
    })
    .from(profiles)
    .where(eq(profiles.userId, userId));
  return {
    phone: row?.phone ?? null,
    avatarVersion: row?.avatarUpdatedAt?.getTime() ?? null,
    productUpdates: row?.productUpdates ?? true,
    defaultLineOfBusinessId: row?.defaultLineOfBusinessId ?? null,
    highlightedSubAccountIds: row?.highlightedSubAccountIds ?? [],
  };
}

export async function updateProfile(db: Executor, userId: string, patch: Partial<typeof profiles.$inferInsert>) {
  await db
    .insert(profiles)
    .values({ userId, ...patch })
    .onConflictDoUpdate({ target: profiles.userId, set: patch });
}

export async function getAvatar(db: Executor, userId: string) {
  const [row] = await db.select({ avatar: profiles.avatar, updatedAt: profiles.avatarUpdatedAt }).from(profiles).where(eq(profiles.userId, userId));
  return row?.avatar ? { image: row.avatar, updatedAt: row.updatedAt! } : null;
}

/** What the account keeps for Preferences (A1: always scoped to the account). */
export async function listWorkspaceOptions(db: Executor, accountId: string) {
  const [lines, subs] = await Promise.all([
    db.select({ id: linesOfBusiness.id, name: linesOfBusiness.name }).from(linesOfBusiness).where(eq(linesOfBusiness.accountId, accountId)).orderBy(linesOfBusiness.name),
    db.select({ id: subAccounts.id, name: subAccounts.name }).from(subAccounts).where(eq(subAccounts.accountId, accountId)).orderBy(subAccounts.name),
  ]);
  return { linesOfBusiness: lines, subAccounts: subs };
}

export async function countOwnLinesOfBusiness(db: Executor, accountId: string, ids: string[]) {
  if (ids.length === 0) return 0;
  return (await db.select({ id: linesOfBusiness.id }).from(linesOfBusiness).where(and(eq(linesOfBusiness.accountId, accountId), inArray(linesOfBusiness.id, ids)))).length;
}

export async function countOwnSubAccounts(db: Executor, accountId: string, ids: string[]) {
  if (ids.length === 0) return 0;
  return (await db.select({ id: subAccounts.id }).from(subAccounts).where(and(eq(subAccounts.accountId, accountId), inArray(subAccounts.id, ids)))).length;
}
