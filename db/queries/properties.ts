import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accessRules, appSubscriptions, roleGrants, userProperties, userPropertyValues, users, type PropertyType } from "@/db/schema";

/**
 * A7: an account's properties, in the order they were defined. `lock`: FOR SHARE, taken by
 * whoever writes values by them, so a change to a property's choices (which locks it FOR
 * UPDATE) waits for them, and they for it — a value is never checked against choices that
 * are being taken away.
 */
export async function listProperties(db: Executor, accountId: string, lock = false) {
  const query = db
    .select({
      id: userProperties.id,
      key: userProperties.key,
      label: userProperties.label,
      type: userProperties.type,
      choices: userProperties.choices,
      rules: sql<number>`(select count(*)::int from access_rules r where r.property_id = ${userProperties.id})`,
    })
    .from(userProperties)
    .where(eq(userProperties.accountId, accountId))
    .orderBy(asc(userProperties.createdAt), asc(userProperties.id));
  return lock ? query.for("share") : query;
}

/** A7: one property, locked for a change. */
export async function findPropertyForUpdate(tx: Executor, accountId: string, propertyId: string) {
  const [row] = await tx
    .select()
    .from(userProperties)
    .where(and(eq(userProperties.accountId, accountId), eq(userProperties.id, propertyId)))
    .limit(1)
    .for("update");
  return row ?? null;
}

export async function updateProperty(tx: Executor, accountId: string, propertyId: string, input: { label: string; choices: string[] }) {
  await tx.update(userProperties).set(input).where(and(eq(userProperties.accountId, accountId), eq(userProperties.id, propertyId)));
}

/** A7: how many people have each of these values of a property, and which access rules match them (values in use only). */
export async function valuesInUse(db: Executor, propertyId: string, values: readonly string[]) {
  if (values.length === 0) return [];
  const list = sql`(select unnest(array[${sql.join(values.map((value) => sql`${value}`), sql`, `)}]::text[]))`;
  const result = await db.execute(sql`
    select x.value, (select count(*)::int from user_property_values v where v.property_id = ${propertyId} and v.value = x.value) as people,
      coalesce((select array_agg(r.name order by lower(r.name)) from access_rules r where r.property_id = ${propertyId} and r.value = x.value), '{}') as rules
    from ${list} as x(value)`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { value: string; people: number; rules: string[] }[];
  return rows.filter((row) => row.people > 0 || row.rules.length > 0);
}

export type PropertyRow = Awaited<ReturnType<typeof listProperties>>[number];

export async function insertProperty(tx: Executor, accountId: string, input: { key: string; label: string; type: PropertyType; choices: string[] }) {
  const [row] = await tx.insert(userProperties).values({ accountId, ...input }).onConflictDoNothing().returning({ id: userProperties.id });
  return row ?? null;
}

export async function deleteProperty(tx: Executor, accountId: string, propertyId: string) {
  await tx.delete(userProperties).where(and(eq(userProperties.accountId, accountId), eq(userProperties.id, propertyId)));
}

/** A7: one member's values, each with its property. */
export async function propertyValuesOf(db: Executor, userId: string) {
  return db
    .select({ propertyId: userPropertyValues.propertyId, value: userPropertyValues.value, unitId: userPropertyValues.unitId })
    .from(userPropertyValues)
    .where(eq(userPropertyValues.userId, userId));
}

/** A7: clears every value of one member (they are leaving the account). */
export async function clearPropertyValues(tx: Executor, userId: string) {
  await tx.delete(userPropertyValues).where(eq(userPropertyValues.userId, userId));
}

/** A7: the members of an account with these emails (case-insensitive), with their current values. */
export async function membersByEmail(db: Executor, accountId: string, emails: readonly string[]) {
  if (emails.length === 0) return [];
  const lowered = [...new Set(emails.map((email) => email.toLowerCase()))];
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      kind: users.kind,
      values: sql<Record<string, string>>`(select coalesce(json_object_agg(v.property_id, v.value), '{}'::json) from user_property_values v where v.user_id = ${users.id})`,
    })
    .from(users)
    .where(and(eq(users.accountId, accountId), inArray(sql`lower(${users.email})`, lowered)));
}

/** A7: sets (value given) or clears (null) one member's value of one property. */
export async function writePropertyValue(tx: Executor, userId: string, propertyId: string, value: { value: string; unitId: string | null } | null) {
  if (!value) {
    await tx.delete(userPropertyValues).where(and(eq(userPropertyValues.userId, userId), eq(userPropertyValues.propertyId, propertyId)));
    return;
  }
  await tx
    .insert(userPropertyValues)
    .values({ userId, propertyId, value: value.value, unitId: value.unitId })
    .onConflictDoUpdate({ target: [userPropertyValues.userId, userPropertyValues.propertyId], set: { value: value.value, unitId: value.unitId, updatedAt: sql`now()` } });
}

/** A7: an account's access rules, each with its property and how many people it gives its role (or, A8, its app role). */
export async function listRules(db: Executor, accountId: string) {
  return db
    .select({
      id: accessRules.id,
      name: accessRules.name,
      propertyId: accessRules.propertyId,
      propertyLabel: userProperties.label,
      value: accessRules.value,
      roleKey: sql<string | null>`coalesce(${accessRules.roleKey}, ${accessRules.customRoleId}::text)`,
      custom: sql<boolean>`${accessRules.customRoleId} is not null`,
      unitId: accessRules.unitId,
      appRoleId: accessRules.appRoleId,
      holders: sql<number>`((select count(*)::int from role_grants g where g.rule_id = ${accessRules.id}) + (select count(*)::int from app_subscriptions s where s.rule_id = ${accessRules.id}))`,
    })
    .from(accessRules)
    .innerJoin(userProperties, eq(userProperties.id, accessRules.propertyId))
    .where(eq(accessRules.accountId, accountId))
    .orderBy(asc(sql`lower(${accessRules.name})`));
}

export async function findRule(db: Executor, accountId: string, ruleId: string) {
  const [row] = await db.select().from(accessRules).where(and(eq(accessRules.accountId, accountId), eq(accessRules.id, ruleId))).limit(1).for("update");
  return row ?? null;
}

/** What a rule gives: a role (A3, on a unit or the whole account), or an app role (A8) by its ID. */
export type RuleInput = { name: string; propertyId: string; value: string; role: { key: string; custom: boolean } | null; unitId: string | null; appRoleId: string | null };

const ruleColumns = (input: RuleInput) => ({
  name: input.name,
  propertyId: input.propertyId,
  value: input.value,
  roleKey: input.role && !input.role.custom ? input.role.key : null,
  customRoleId: input.role?.custom ? input.role.key : null,
  unitId: input.unitId,
  appRoleId: input.role ? null : input.appRoleId,
});

/** Null when the account has a rule of that name already. */
export async function insertRule(tx: Executor, accountId: string, input: RuleInput) {
  const [row] = await tx.insert(accessRules).values({ accountId, ...ruleColumns(input) }).onConflictDoNothing().returning({ id: accessRules.id });
  return row ?? null;
}

export async function updateRule(tx: Executor, accountId: string, ruleId: string, input: RuleInput) {
  await tx.update(accessRules).set(ruleColumns(input)).where(and(eq(accessRules.accountId, accountId), eq(accessRules.id, ruleId)));
}

export async function deleteRuleRow(tx: Executor, accountId: string, ruleId: string) {
  await tx.delete(accessRules).where(and(eq(accessRules.accountId, accountId), eq(accessRules.id, ruleId)));
}

export async function ruleNameTaken(db: Executor, accountId: string, name: string, exceptId: string | null) {
  const [row] = await db
    .select({ id: accessRules.id })
    .from(accessRules)
    .where(and(eq(accessRules.accountId, accountId), sql`lower(${accessRules.name}) = lower(${name})`, exceptId ? sql`${accessRules.id} <> ${exceptId}` : undefined))
    .limit(1);
  return Boolean(row);
}

/**
 * One change applyRules makes: a grant a rule should have made and has not, or one it made
 * and should not have. `kind` says which: a role grant (`grantId` a role_grants row) or,
 * A8, an app role (`grantId` the rule's app_subscriptions row).
 */
export type RuleGrantChange = {
  change: "grant" | "revoke";
  kind: "role" | "app";
  grantId: string | null;
  ruleId: string;
  ruleName: string;
  userId: string;
  email: string;
  name: string | null;
  roleKey: string | null;
  customRoleId: string | null;
  customRoleName: string | null;
  unitId: string | null;
  unitName: string | null;
  applicationId: string | null;
  appKey: string | null;
  appName: string | null;
  appRoleKey: string | null;
  appRoleName: string | null;
};

/**
 * A7: what the account's rules give (each person whose value of the rule's property equals
 * the rule's value; workstations never) against what they have given — role grants and,
 * A8, app subscriptions, compared on the same columns (a role's columns are null for an
 * app role and the other way round) — in one query, so it costs the same for one person or
 * a whole account. `userIds` and `ruleId` narrow both sides; `without` counts that rule as
 * matching no one (it is being deleted).
 */
export async function ruleGrantDiff(db: Executor, accountId: string, scope: { userIds?: readonly string[]; ruleId?: string; without?: string }): Promise<RuleGrantChange[]> {
  if (scope.userIds?.length === 0) return [];
  const userList = scope.userIds ? sql`(select unnest(${`{${scope.userIds.join(",")}}`}::uuid[]))` : null;
  const users = userList ? sql`and v.user_id in ${userList}` : sql``;
  const grantUsers = userList ? sql`and g.user_id in ${userList}` : sql``;
  const subscriptionUsers = userList ? sql`and s.user_id in ${userList}` : sql``;
  const rule = scope.ruleId ? sql`and r.id = ${scope.ruleId}` : sql``;
  const grantRule = scope.ruleId ? sql`and g.rule_id = ${scope.ruleId}` : sql``;
  const subscriptionRule = scope.ruleId ? sql`and s.rule_id = ${scope.ruleId}` : sql``;
  const without = scope.without ? sql`and r.id <> ${scope.without}` : sql``;
  const same = sql`e.rule_id = d.rule_id and e.user_id = d.user_id
          and e.role_key is not distinct from d.role_key and e.custom_role_id is not distinct from d.custom_role_id and e.unit_id is not distinct from d.unit_id
          and e.application_id is not distinct from d.application_id and e.app_role_key is not distinct from d.app_role_key`;
  const result = await db.execute(sql`
    with desired as (
      select r.id as rule_id, v.user_id, r.role_key, r.custom_role_id, r.unit_id, ar.application_id, ar.key as app_role_key
      from access_rules r
      join user_property_values v on v.property_id = r.property_id and v.value = r.value
      join users u on u.id = v.user_id and u.account_id = r.account_id and u.kind = 'person'
      left join app_roles ar on ar.id = r.app_role_id
      where r.account_id = ${accountId} ${users} ${rule} ${without}
    ), existing as (
      select g.id, g.rule_id, g.user_id, g.role_key, g.custom_role_id, g.unit_id, null::uuid as application_id, null::text as app_role_key
      from role_grants g
      where g.account_id = ${accountId} and g.rule_id is not null ${grantUsers} ${grantRule}
      union all
      -- A rule's subscription carries exactly the one app role the rule gives.
      select s.id, s.rule_id, s.user_id, null, null, null, s.application_id, s.app_role_keys[1]
      from app_subscriptions s
      where s.account_id = ${accountId} and s.rule_id is not null ${subscriptionUsers} ${subscriptionRule}
    ), changes as (
      select 'grant' as change, null::uuid as grant_id, d.* from desired d
        where not exists (select 1 from existing e where ${same})
      union all
      select 'revoke', e.id, e.rule_id, e.user_id, e.role_key, e.custom_role_id, e.unit_id, e.application_id, e.app_role_key from existing e
        where not exists (select 1 from desired d where ${same})
    )
    select c.change, case when c.application_id is null then 'role' else 'app' end as kind, c.grant_id as "grantId", c.rule_id as "ruleId", ar.name as "ruleName",
      c.user_id as "userId", u.email, u.name,
      c.role_key as "roleKey", c.custom_role_id as "customRoleId", cr.name as "customRoleName", c.unit_id as "unitId", un.name as "unitName",
      c.application_id as "applicationId", app.key as "appKey", app.name as "appName", c.app_role_key as "appRoleKey", approle.name as "appRoleName"
    from changes c
    join access_rules ar on ar.id = c.rule_id
    join users u on u.id = c.user_id
    left join custom_roles cr on cr.id = c.custom_role_id
    left join units un on un.id = c.unit_id
    left join applications app on app.id = c.application_id
    left join app_roles approle on approle.application_id = c.application_id and approle.key = c.app_role_key
    order by lower(u.email), ar.name, c.change`);
  return (Array.isArray(result) ? result : (result as { rows: RuleGrantChange[] }).rows) as RuleGrantChange[];
}

/** A7: writes a diff from ruleGrantDiff — the rule's grants and subscriptions, labelled with its ID. */
export async function writeRuleGrantChanges(tx: Executor, accountId: string, changes: readonly RuleGrantChange[], grantedBy: string | null) {
  const revoked = (kind: RuleGrantChange["kind"]) => changes.filter((c) => c.change === "revoke" && c.kind === kind && c.grantId).map((c) => c.grantId as string);
  const revokedGrants = revoked("role");
  const revokedSubscriptions = revoked("app");
  if (revokedGrants.length) await tx.delete(roleGrants).where(inArray(roleGrants.id, revokedGrants));
  if (revokedSubscriptions.length) await tx.delete(appSubscriptions).where(inArray(appSubscriptions.id, revokedSubscriptions));
  const granted = changes.filter((c) => c.change === "grant");
  const grantedRoles = granted.filter((c) => c.kind === "role");
  const grantedApps = granted.filter((c) => c.kind === "app");
  for (let i = 0; i < grantedRoles.length; i += 1000) {
    await tx.insert(roleGrants).values(
      grantedRoles.slice(i, i + 1000).map((c) => ({ accountId, userId: c.userId, roleKey: c.roleKey, customRoleId: c.customRoleId, unitId: c.unitId, ruleId: c.ruleId, grantedBy })),
    );
  }
  for (let i = 0; i < grantedApps.length; i += 1000) {
    await tx
      .insert(appSubscriptions)
      .values(grantedApps.slice(i, i + 1000).map((c) => ({ accountId, userId: c.userId, applicationId: c.applicationId as string, appRoleKeys: [c.appRoleKey as string], ruleId: c.ruleId })));
  }
}
