import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { applications, appRoles, appSubscriptions } from "@/db/schema";

export type AppCatalogueEntry = { id: string; key: string; name: string; description: string; roles: { id: string; key: string; name: string; isDefault: boolean }[] };

/** A8: the platform's applications, each with its roles (default first). */
export async function listApplications(db: Executor): Promise<AppCatalogueEntry[]> {
  const rows = await db
    .select({ app: applications, role: { id: appRoles.id, key: appRoles.key, name: appRoles.name, isDefault: appRoles.isDefault } })
    .from(applications)
    .innerJoin(appRoles, eq(appRoles.applicationId, applications.id))
    .orderBy(asc(applications.name), sql`${appRoles.isDefault} desc`, asc(appRoles.name));
  const byApp = new Map<string, AppCatalogueEntry>();
  for (const { app, role } of rows) {
    const entry = byApp.get(app.id) ?? { id: app.id, key: app.key, name: app.name, description: app.description, roles: [] };
    entry.roles.push(role);
    byApp.set(app.id, entry);
  }
  return [...byApp.values()];
}

/**
 * A member's subscriptions: which apps, with which app roles, until when (A5: expired ones
 * too). A7: with the rows access rules made, each naming its rule (an app can appear twice:
 * by hand and by a rule; lib/apps/access.ts adds them up).
 */
export async function subscriptionsOf(db: Executor, userId: string) {
  return db
    .select({
      id: appSubscriptions.id,
      applicationId: appSubscriptions.applicationId,
      appKey: applications.key,
      appName: applications.name,
      appRoleKeys: appSubscriptions.appRoleKeys,
      expiresAt: appSubscriptions.expiresAt,
      ruleId: appSubscriptions.ruleId,
      ruleName: sql<string | null>`(select r.name from access_rules r where r.id = ${appSubscriptions.ruleId})`,
    })
    .from(appSubscriptions)
    .innerJoin(applications, eq(applications.id, appSubscriptions.applicationId))
    .where(eq(appSubscriptions.userId, userId))
    .orderBy(asc(applications.name), sql`${appSubscriptions.ruleId} is not null`, asc(appSubscriptions.createdAt));
}

/** The subscription given by hand (A7: a rule's subscription is the rule's to keep, never changed here). */
export async function findSubscription(db: Executor, userId: string, applicationId: string, lock = false) {
  const query = db
    .select()
    .from(appSubscriptions)
    .where(and(eq(appSubscriptions.userId, userId), eq(appSubscriptions.applicationId, applicationId), isNull(appSubscriptions.ruleId)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row ?? null;
}

export async function insertSubscription(db: Executor, values: typeof appSubscriptions.$inferInsert) {
  const [row] = await db.insert(appSubscriptions).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function deleteSubscription(db: Executor, id: string) {
  await db.delete(appSubscriptions).where(eq(appSubscriptions.id, id));
}

export async function setSubscriptionRoles(db: Executor, id: string, appRoleKeys: string[]) {
  await db.update(appSubscriptions).set({ appRoleKeys }).where(eq(appSubscriptions.id, id));
}

/** A5: when a subscription ends (null: never). */
export async function setSubscriptionExpiry(db: Executor, id: string, expiresAt: Date | null) {
  await db.update(appSubscriptions).set({ expiresAt }).where(eq(appSubscriptions.id, id));
}
