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

/** A8: a member's applications with their app roles (names from the catalogue); A5: expired subscriptions give nothing. */
export async function applicationAccessOf(db: Executor, userId: string, at: Date = now()) {
  const [catalogue, subscriptions] = await Promise.all([listApplications(db), subscriptionsOf(db, userId)]);
  return subscriptions.filter((subscription) => !isExpired(subscription.expiresAt, at)).map((subscription) => {
    const app = catalogue.find((entry) => entry.id === subscription.applicationId)!;
    return { key: app.key, name: app.name, roles: app.roles.filter((role) => subscription.appRoleKeys.includes(role.key)).map(({ key, name }) => ({ key, name })) };
  });
}

const isExpired = (expiresAt: Date | null, at: Date) => expiresAt !== null && expiresAt.getTime() <= at.getTime();

/** A8: subscribes a member to an application with its default role. */
export async function subscribeMember(tx: Executor, actor: Actor, input: { userId: string; appKey: string }) {
  const member = await visibleMemberOrRefuse(tx, actor.principal, input.userId, "apps.manage", true);
  if (member.status === "disabled") refuse("Enable this member before giving them applications.");
  const app = await appOrRefuse(tx, input.appKey);
  // A5: an expired subscription gives nothing: subscribing again starts afresh.
  const previous = await findSubscription(tx, member.id, app.id, true);
  if (previous && isExpired(previous.expiresAt, now())) await deleteSubscription(tx, previous.id);
  const defaultRole = app.roles.find((role) => role.isDefault) ?? app.roles[0];
  const created = await insertSubscription(tx, { accountId: member.accountId, userId: member.id, applicationId: app.id, appRoleKeys: [defaultRole.key] });
  if (!created) refuse(`${member.name || member.email} already uses ${app.name}.`);
  await recordAuditBy(tx, actor, { action: "app.subscribed", target: { type: "user", id: member.id }, details: { email: member.email, app: app.key, appRoles: [defaultRole.key] } });
  return { app: app.name, roles: [defaultRole.name] };
}

export async function unsubscribeMember(tx: Executor, actor: Actor, input: { userId: string; appKey: string }) {
  const member = await visibleMemberOrRefuse(tx, actor.principal, input.userId, "apps.manage", true);
  const app = await appOrRefuse(tx, input.appKey);
  const subscription = await findSubscription(tx, member.id, app.id, true);
  if (!subscription) refuse(`${member.name || member.email} does not use ${app.name}.`);
  await deleteSubscription(tx, subscription.id);
  await recordAuditBy(tx, actor, { action: "app.unsubscribed", target: { type: "user", id: member.id }, details: { email: member.email, app: app.key, appRoles: subscription.appRoleKeys } });
  return { app: app.name };
}

/** A8: the app roles of a subscription — at least one, each the app's own. */
export async function setMemberAppRoles(tx: Executor, actor: Actor, input: { userId: string; appKey: string; roles: readonly string[] }) {
  const member = await visibleMemberOrRefuse(tx, actor.principal, input.userId, "apps.manage", true);
  const app = await appOrRefuse(tx, input.appKey);
  const subscription = await findSubscription(tx, member.id, app.id, true);
  if (!subscription) refuse(`Subscribe ${member.name || member.email} to ${app.name} first.`);
  const roles = [...new Set(input.roles)];
  if (roles.length === 0) refuse("Keep at least one app role, or unsubscribe instead.", "invalid");
  if (roles.some((key) => !app.roles.some((role) => role.key === key))) refuse(`Choose roles of ${app.name}.`, "invalid");
  const ordered = app.roles.filter((role) => roles.includes(role.key)).map((role) => role.key);
  await setSubscriptionRoles(tx, subscription.id, ordered);
  await recordAuditBy(tx, actor, { action: "app.roles_changed", target: { type: "user", id: member.id }, details: { email: member.email, app: app.key, before: subscription.appRoleKeys, after: ordered } });
  return { app: app.name, roles: app.roles.filter((role) => ordered.includes(role.key)).map((role) => role.name) };
}
