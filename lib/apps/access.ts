import type { Executor } from "@/db/client";
import { deleteSubscription, findSubscription, insertSubscription, listApplications, setSubscriptionRoles, subscriptionsOf } from "@/db/queries/apps";
import { refuse } from "@/lib/actions/refusal";
import { now } from "@/lib/clock";
import { recordAuditBy } from "@/lib/audit";
import { visibleMemberOrRefuse } from "@/lib/team/members";
import type { Actor } from "@/lib/actions/actor";

const NO_SUCH_APP = "No such application.";

async function appOrRefuse(db: Executor, appKey: string) {
  const app = (await listApplications(db)).find((entry) => entry.key === appKey);
  if (!app) refuse(NO_SUCH_APP, "not_found");
  return app;
}

/**
 * A8: a member's applications with their app roles (names from the catalogue); A5: expired
 * subscriptions give nothing. A7: an application given by hand and by rules is one entry,
 * its app roles the union of theirs.
 */
export async function applicationAccessOf(db: Executor, userId: string, at: Date = now()) {
  const [catalogue, subscriptions] = await Promise.all([listApplications(db), subscriptionsOf(db, userId)]);
  const held = new Map<string, Set<string>>();
  for (const subscription of subscriptions) {
    if (isExpired(subscription.expiresAt, at)) continue;
    const keys = held.get(subscription.applicationId) ?? new Set<string>();
    for (const key of subscription.appRoleKeys) keys.add(key);
    held.set(subscription.applicationId, keys);
  }
  return catalogue
    .filter((app) => held.has(app.id))
    .map((app) => ({ key: app.key, name: app.name, roles: app.roles.filter((role) => held.get(app.id)!.has(role.key)).map(({ key, name }) => ({ key, name })) }));
}

/** A7: the app roles access rules give a member in an application, each with the rule's name. */
async function ruleAppRoles(db: Executor, userId: string, applicationId: string) {
  return (await subscriptionsOf(db, userId)).filter((row) => row.applicationId === applicationId && row.ruleId).map((row) => ({ key: row.appRoleKeys[0], rule: row.ruleName ?? "" }));
}

/** A7: the refusal for taking away by hand what a rule gives. */
function givenByRule(appRole: string, app: string, rule: string, who: string): never {
  refuse(`${appRole} in ${app} is given by rule “${rule}”: it cannot be removed by hand. Change the rule or ${who}'s properties instead.`);
}

const isExpired = (expiresAt: Date | null, at: Date) => expiresAt !== null && expiresAt.getTime() <= at.getTime();

/** A8: subscribes a member to an application with its default role. */
export async function subscribeMember(tx: Executor, actor: Actor, input: { userId: string; appKey: string; expiresAt?: string | null }) {
  const member = await visibleMemberOrRefuse(tx, actor.principal, input.userId, "apps.manage", true);
  if (member.status === "disabled") refuse("Enable this member before giving them applications.");
  const app = await appOrRefuse(tx, input.appKey);
  // A5: a subscription may end by itself, chosen when it is given.
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= now().getTime()) refuse("Choose a time in the future for the subscription to end.", "invalid");
  // A5: an expired subscription gives nothing: subscribing again starts afresh.
  const previous = await findSubscription(tx, member.id, app.id, true);
  if (previous && isExpired(previous.expiresAt, now())) await deleteSubscription(tx, previous.id);
  const defaultRole = app.roles.find((role) => role.isDefault) ?? app.roles[0];
  const created = await insertSubscription(tx, { accountId: member.accountId, userId: member.id, applicationId: app.id, appRoleKeys: [defaultRole.key], expiresAt });
  if (!created) refuse(`${member.name || member.email} already uses ${app.name}.`);
  await recordAuditBy(tx, actor, {
    action: "app.subscribed",
    target: { type: "user", id: member.id },
    details: { email: member.email, app: app.key, appRoles: [defaultRole.key], ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) },
  });
  return { app: app.name, roles: [defaultRole.name] };
}

/** A8: ends a member's subscription — A7: never while an access rule gives them a role in the app. */
export async function unsubscribeMember(tx: Executor, actor: Actor, input: { userId: string; appKey: string }) {
  const member = await visibleMemberOrRefuse(tx, actor.principal, input.userId, "apps.manage", true);
  const app = await appOrRefuse(tx, input.appKey);
  const [byRule] = await ruleAppRoles(tx, member.id, app.id);
  if (byRule) givenByRule(app.roles.find((role) => role.key === byRule.key)?.name ?? byRule.key, app.name, byRule.rule, member.name || member.email);
  const subscription = await findSubscription(tx, member.id, app.id, true);
  if (!subscription) refuse(`${member.name || member.email} does not use ${app.name}.`);
  await deleteSubscription(tx, subscription.id);
  await recordAuditBy(tx, actor, { action: "app.unsubscribed", target: { type: "user", id: member.id }, details: { email: member.email, app: app.key, appRoles: subscription.appRoleKeys } });
  return { app: app.name };
}

/**
 * A8: the app roles a member has in an application — at least one, each the app's own.
 * A7: `roles` are all they have there, those rules give included (leaving one out is
 * refused, naming the rule). The subscription given by hand keeps the others: it is made
 * when the member had the app only by rules and gets a role more, and goes when it would
 * be left with none but rules still give the app.
 */
export async function setMemberAppRoles(tx: Executor, actor: Actor, input: { userId: string; appKey: string; roles: readonly string[] }) {
  const member = await visibleMemberOrRefuse(tx, actor.principal, input.userId, "apps.manage", true);
  const who = member.name || member.email;
  const app = await appOrRefuse(tx, input.appKey);
  const subscription = await findSubscription(tx, member.id, app.id, true);
  const byRules = await ruleAppRoles(tx, member.id, app.id);
  if (!subscription && byRules.length === 0) refuse(`Subscribe ${who} to ${app.name} first.`);
  const roles = [...new Set(input.roles)];
  if (roles.length === 0) refuse("Keep at least one app role, or unsubscribe instead.", "invalid");
  if (roles.some((key) => !app.roles.some((role) => role.key === key))) refuse(`Choose roles of ${app.name}.`, "invalid");
  const dropped = byRules.find((held) => !roles.includes(held.key));
  if (dropped) givenByRule(app.roles.find((role) => role.key === dropped.key)?.name ?? dropped.key, app.name, dropped.rule, who);
  const before = subscription?.appRoleKeys ?? [];
  // By hand: what was by hand and is kept, and what no rule gives already.
  const byHand = app.roles.filter((role) => roles.includes(role.key) && (before.includes(role.key) || !byRules.some((held) => held.key === role.key))).map((role) => role.key);
  if (byHand.length === before.length && byHand.every((key) => before.includes(key))) return { app: app.name, roles: app.roles.filter((role) => roles.includes(role.key)).map((role) => role.name) };
  if (!subscription) {
    if (member.status === "disabled") refuse("Enable this member before giving them applications.");
    await insertSubscription(tx, { accountId: member.accountId, userId: member.id, applicationId: app.id, appRoleKeys: byHand });
  } else if (byHand.length === 0) await deleteSubscription(tx, subscription.id);
  else await setSubscriptionRoles(tx, subscription.id, byHand);
  await recordAuditBy(tx, actor, { action: "app.roles_changed", target: { type: "user", id: member.id }, details: { email: member.email, app: app.key, before, after: byHand } });
  return { app: app.name, roles: app.roles.filter((role) => roles.includes(role.key)).map((role) => role.name) };
}
