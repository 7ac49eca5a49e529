import type { Executor } from "@/db/client";
import { deleteRuleRow, findRule, insertRule, listProperties, ruleGrantDiff, ruleNameTaken, updateRule as updateRuleRow, writeRuleGrantChanges, type RuleGrantChange } from "@/db/queries/properties";
import { listApplications } from "@/db/queries/apps";
import { findUnit } from "@/db/queries/units";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy, recordAuditManyBy } from "@/lib/audit";
import { isSystemRoleKey, SYSTEM_ROLES, unitScopedPermissionsOf } from "@/lib/auth/permissions";
import { can, canGrant } from "@/lib/auth/principal";
import { listUnitTree } from "@/db/queries/units";
import { NO_SUCH_UNIT } from "@/lib/org-units/units";
import { chosenRoles, WORKSTATION_ROLE } from "@/lib/team/roles";
import { parsePropertyValue } from "./values";

export const NO_SUCH_RULE = "No such access rule in this account.";

/** A rule grant's role as people read it: "Editor", "Editor (Toulouse plant)", or an app role "Publisher in Studio". */
export function changeLabel(change: Pick<RuleGrantChange, "roleKey" | "customRoleName" | "unitName" | "appName" | "appRoleName">) {
  if (change.appName) return `${change.appRoleName} in ${change.appName}`;
  const role = change.roleKey ? (isSystemRoleKey(change.roleKey) ? SYSTEM_ROLES[change.roleKey].name : change.roleKey) : (change.customRoleName ?? "");
  return change.unitName ? `${role} (${change.unitName})` : role;
}

/**
 * A7: brings the grants the account's rules make in line with who matches them now — for
 * these people, or this rule, or the whole account — and audits each grant and removal
 * with the rule's name. Called in the transaction of every change to a value, a rule or a
 * membership, so a change of access takes effect on the person's next request. With
 * `dryRun` it only says what it would do (a rule's preview).
 *
 * What a rule's match reads, and so who calls this: the person's value of the rule's
 * property (setMemberProperties, importProperties), the rule (create, update, delete), and
 * the person being a member (revokeInvitation, the one way a member row leaves: their values
 * are cleared and this takes the grants back, audited). Not the units a person is in: a
 * unit-relation property is a value of its own, set like any other, and a rule's grant on a
 * unit covers that unit whoever holds it — so adding someone to a unit, or taking them out,
 * changes no rule's outcome and does not call this. A unit a rule or a value names is not
 * deleted (lib/org-units/units.ts), and changing a choice never drops one in use
 * (lib/properties/properties.ts), so neither leaves a rule matching a value that is gone.
 */
export async function applyRules(
  tx: Executor,
  accountId: string,
  scope: { userIds?: readonly string[]; ruleId?: string; without?: string },
  actor: Actor,
  { dryRun = false } = {},
) {
  const changes = await ruleGrantDiff(tx, accountId, scope);
  if (dryRun || changes.length === 0) return changes;
  await writeRuleGrantChanges(tx, accountId, changes, actor.principal.id);
  await recordAuditManyBy(
    tx,
    actor,
    changes.map((change) => ({
      action: change.change === "grant" ? ("rule.granted" as const) : ("rule.revoked" as const),
      target: { type: "user", id: change.userId },
      details: { email: change.email, rule: change.ruleName, ruleId: change.ruleId, role: changeLabel(change), ...(change.kind === "app" ? { app: change.appKey, appRole: change.appRoleKey } : {}) },
    })),
  );
  return changes;
}

/**
 * A7: applies the rules after a change of people's values — refused, before anything is
 * written, when a rule would give or take a role the actor could not give by hand (on its
 * unit, when it has one) or an app role without Manage application access: setting your
 * own or a report's "site" must not grant what you could not grant yourself.
 */
export async function applyRulesWithinReach(tx: Executor, accountId: string, scope: { userIds: readonly string[] }, actor: Actor) {
  const { principal } = actor;
  const changes = await applyRules(tx, accountId, scope, actor, { dryRun: true });
  const roleRefs = [...new Set(changes.flatMap((change) => (change.kind === "role" ? [change.roleKey ?? change.customRoleId!] : [])))];
  const roles = new Map((roleRefs.length ? await chosenRoles(tx, accountId, roleRefs) : []).map((role) => [role.key, role]));
  const unitIds = [...new Set(changes.flatMap((change) => (change.unitId ? [change.unitId] : [])))];
  const lines = new Map(await Promise.all(unitIds.map(async (id) => [id, (await findUnit(tx, accountId, id))?.line ?? [id]] as const)));
  for (const change of changes) {
    const gives = change.change === "grant" ? "give" : "take away";
    const who = change.name || change.email;
    const refusal = `This would ${gives} ${changeLabel(change)} ${change.change === "grant" ? "to" : "from"} ${who} through the access rule “${change.ruleName}”, which you could not do yourself. Ask someone who can to change this value.`;
    if (change.kind === "app") {
      if (!can(principal, "apps.manage")) refuse(refusal, "forbidden");
      continue;
    }
    const role = roles.get(change.roleKey ?? change.customRoleId!)!;
    const line = change.unitId ? lines.get(change.unitId) : undefined;
    if (!canGrant(principal, role, line ? { accountId, units: line } : undefined)) refuse(refusal, "forbidden");
  }
  return changes.length ? applyRules(tx, accountId, scope, actor) : changes;
}

/** What a rule form sends: `role` (a role, optionally on `unitId`), or `appRoleId` (A8: an app role) instead. */
export type RuleDraft = { name: string; propertyId: string; value: string; role: string; unitId: string | null; appRoleId?: string | null };

/**
 * A rule as it would be saved: its property one of the account's and its value valid for
 * it; its role one the actor may give (on the unit, when there is one) and one that means
 * something there; never the workstation role. A8: an app role instead, by someone who
 * manages application access for the whole account; never on a unit.
 */
async function checkedRule(db: Executor, actor: Actor, draft: RuleDraft, ruleId: string | null) {
  const { principal } = actor;
  const property = (await listProperties(db, principal.accountId)).find((p) => p.id === draft.propertyId);
  if (!property) refuse("Choose a property from the list.", "invalid");
  const units = await listUnitTree(db, principal.accountId);
  const parsed = parsePropertyValue(property, draft.value, units);
  if (!parsed.ok) refuse(parsed.error, "invalid");
  if (!parsed.value) refuse("Give the value the rule matches.", "invalid");
  if (await ruleNameTaken(db, principal.accountId, draft.name, ruleId)) refuse(`There is already a rule named “${draft.name}”.`);
  const matches = { name: draft.name, propertyId: property.id, value: parsed.value.value, property };
  if (draft.appRoleId) {
    if (draft.role) refuse("Choose a role or an app role, not both.", "invalid");
    const app = (await listApplications(db)).find((entry) => entry.roles.some((role) => role.id === draft.appRoleId));
    const appRole = app?.roles.find((role) => role.id === draft.appRoleId);
    if (!app || !appRole) refuse("Choose an app role from the list.", "invalid");
    if (draft.unitId) refuse("An app role is given for the whole account: choose no unit.", "invalid");
    if (!can(principal, "apps.manage")) refuse("You cannot make a rule that gives an app role: it needs Manage application access for the whole account.", "forbidden");
    return { ...matches, role: null, unitId: null, appRoleId: appRole.id, roleName: `${appRole.name} in ${app.name}` };
  }
  if (!draft.role) refuse("Choose a role or an app role.", "invalid");
  const [role] = await chosenRoles(db, principal.accountId, [draft.role]);
  if (role.key === WORKSTATION_ROLE) refuse("The Shared workstation role is for workstation accounts: a rule cannot give it.", "invalid");
  let unitLine: string[] | undefined;
  if (draft.unitId) {
    const unit = await findUnit(db, principal.accountId, draft.unitId);
    if (!unit) refuse(NO_SUCH_UNIT, "not_found");
    if (unitScopedPermissionsOf(role).length === 0) refuse(`${role.name} gives nothing on a unit: give it for the whole account instead.`, "invalid");
    unitLine = unit.line;
  }
  if (!canGrant(principal, role, unitLine ? { accountId: principal.accountId, units: unitLine } : undefined)) {
    refuse(`You cannot make a rule that gives the ${role.name} role: it has permissions you do not hold.`, "forbidden");
  }
  return { ...matches, role: { key: role.key, custom: role.custom }, unitId: draft.unitId, appRoleId: null, roleName: role.name };
}

/** A7: creates a rule, and gives its role to everyone it matches. */
export async function createRule(tx: Executor, actor: Actor, draft: RuleDraft) {
  const rule = await checkedRule(tx, actor, draft, null);
  const row = await insertRule(tx, actor.principal.accountId, rule);
  if (!row) refuse(`There is already a rule named “${draft.name}”.`);
  await recordAuditBy(tx, actor, { action: "rule.created", target: { type: "access_rule", id: row.id }, details: { name: rule.name, property: rule.property.key, value: rule.value, role: rule.roleName, unitId: rule.unitId } });
  const changes = await applyRules(tx, actor.principal.accountId, { ruleId: row.id }, actor);
  return { id: row.id, name: rule.name, granted: changes.filter((c) => c.change === "grant").length };
}

/** A7: changes a rule; whoever it no longer matches loses its role, whoever it now matches gains it. */
export async function updateRule(tx: Executor, actor: Actor, input: RuleDraft & { ruleId: string }) {
  const existing = await findRule(tx, actor.principal.accountId, input.ruleId);
  if (!existing) refuse(NO_SUCH_RULE, "not_found");
  const rule = await checkedRule(tx, actor, input, existing.id);
  await updateRuleRow(tx, actor.principal.accountId, existing.id, rule);
  await recordAuditBy(tx, actor, { action: "rule.updated", target: { type: "access_rule", id: existing.id }, details: { name: rule.name, before: existing.name, property: rule.property.key, value: rule.value, role: rule.roleName, unitId: rule.unitId } });
  const changes = await applyRules(tx, actor.principal.accountId, { ruleId: existing.id }, actor);
  return { id: existing.id, name: rule.name, granted: changes.filter((c) => c.change === "grant").length, revoked: changes.filter((c) => c.change === "revoke").length };
}

/** A7: deletes a rule; its grants are taken back first, each audited with its name. */
export async function deleteRule(tx: Executor, actor: Actor, input: { ruleId: string }) {
  const existing = await findRule(tx, actor.principal.accountId, input.ruleId);
  if (!existing) refuse(NO_SUCH_RULE, "not_found");
  const changes = await applyRules(tx, actor.principal.accountId, { ruleId: existing.id, without: existing.id }, actor);
  await deleteRuleRow(tx, actor.principal.accountId, existing.id);
  await recordAuditBy(tx, actor, { action: "rule.deleted", target: { type: "access_rule", id: existing.id }, details: { name: existing.name, revoked: changes.length } });
  return { name: existing.name, revoked: changes.length };
}

class PreviewDone extends Error {
  constructor(readonly changes: RuleGrantChange[]) {
    super("preview");
  }
}

export type RulePreview = { gain: { email: string; name: string | null; role: string }[]; lose: { email: string; name: string | null; role: string }[] };

/**
 * A7: who a rule, as drafted, would give its role to and who would lose it — by saving it
 * and asking applyRules what it would do, inside a savepoint that is then rolled back.
 */
export async function previewRule(db: Executor, actor: Actor, input: RuleDraft & { ruleId: string | null }): Promise<RulePreview> {
  try {
    await db.transaction(async (sp) => {
      const { ruleId } = input;
      const id = ruleId ? await updateRuleRowOnly(sp, actor, { ...input, ruleId }) : await createRuleRowOnly(sp, actor, input);
      throw new PreviewDone(await applyRules(sp, actor.principal.accountId, { ruleId: id }, actor, { dryRun: true }));
    });
  } catch (error) {
    if (!(error instanceof PreviewDone)) throw error;
    const row = (c: RuleGrantChange) => ({ email: c.email, name: c.name, role: changeLabel(c) });
    return { gain: error.changes.filter((c) => c.change === "grant").map(row), lose: error.changes.filter((c) => c.change === "revoke").map(row) };
  }
  throw new Error("unreachable");
}

async function createRuleRowOnly(tx: Executor, actor: Actor, draft: RuleDraft) {
  const rule = await checkedRule(tx, actor, draft, null);
  const row = await insertRule(tx, actor.principal.accountId, rule);
  if (!row) refuse(`There is already a rule named “${draft.name}”.`);
  return row.id;
}

async function updateRuleRowOnly(tx: Executor, actor: Actor, input: RuleDraft & { ruleId: string }) {
  const existing = await findRule(tx, actor.principal.accountId, input.ruleId);
  if (!existing) refuse(NO_SUCH_RULE, "not_found");
  await updateRuleRow(tx, actor.principal.accountId, existing.id, await checkedRule(tx, actor, input, existing.id));
  return existing.id;
}
