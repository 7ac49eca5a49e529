import type { Executor } from "@/db/client";
import { deleteProperty as deletePropertyRow, insertProperty, listProperties, propertyValuesOf, writePropertyValue } from "@/db/queries/properties";
import { listUnitTree } from "@/db/queries/units";
import type { PropertyType } from "@/db/schema";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import { assertOutranks, visibleMemberOrRefuse } from "@/lib/team/members";
import { applyRules } from "./rules";
import { displayValue, parsePropertyValue } from "./values";

/** The kinds of property (A7), for forms and their input schemas. */
export { PROPERTY_TYPES } from "@/db/schema";

export const NO_SUCH_PROPERTY = "No such property in this account.";

/** A7: defines a property (its key is how a CSV import's header and the team filter name it). */
export async function defineProperty(tx: Executor, actor: Actor, input: { key: string; label: string; type: PropertyType; choices: string[] }) {
  const choices = input.type === "choice" ? [...new Set(input.choices.map((c) => c.trim()).filter(Boolean))] : [];
  if (input.type === "choice" && choices.length === 0) refuse("Give the choices, one a line.", "invalid");
  const row = await insertProperty(tx, actor.principal.accountId, { ...input, choices });
  if (!row) refuse(`There is already a property with the key “${input.key}”.`);
  await recordAuditBy(tx, actor, { action: "property.created", target: { type: "property", id: row.id }, details: { key: input.key, label: input.label, type: input.type, choices } });
  return { id: row.id, key: input.key };
}

/** A7: deletes a property and everyone's values of it — never one an access rule matches on. */
export async function deleteProperty(tx: Executor, actor: Actor, input: { propertyId: string }) {
  const property = (await listProperties(tx, actor.principal.accountId)).find((p) => p.id === input.propertyId);
  if (!property) refuse(NO_SUCH_PROPERTY, "not_found");
  if (property.rules > 0) refuse(`${property.label} is used by ${property.rules === 1 ? "an access rule" : `${property.rules} access rules`}: delete those first.`);
  await deletePropertyRow(tx, actor.principal.accountId, property.id);
  await recordAuditBy(tx, actor, { action: "property.deleted", target: { type: "property", id: property.id }, details: { key: property.key, label: property.label } });
  return { label: property.label };
}

/** Checks before a step-up code is sent. */
export async function planMemberProperties(db: Executor, actor: Actor, input: { userId: string }, lock = false) {
  const member = await visibleMemberOrRefuse(db, actor.principal, input.userId, "members.manage", lock);
  await assertOutranks(db, actor.principal, member, "change the properties of");
  return member;
}

/**
 * A7: sets a member's values (property ID → value; empty clears it), then re-evaluates the
 * rules for them in the same transaction: a role a rule gives or takes back follows at once.
 */
export async function setMemberProperties(tx: Executor, actor: Actor, input: { userId: string; values: Record<string, string> }) {
  const member = await planMemberProperties(tx, actor, input, true);
  const [properties, units, current] = await Promise.all([listProperties(tx, actor.principal.accountId), listUnitTree(tx, actor.principal.accountId), propertyValuesOf(tx, member.id)]);
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};
  for (const [propertyId, raw] of Object.entries(input.values)) {
    const property = properties.find((p) => p.id === propertyId);
    if (!property) refuse(NO_SUCH_PROPERTY, "not_found");
    const parsed = parsePropertyValue(property, raw, units);
    if (!parsed.ok) refuse(parsed.error, "invalid");
    const old = current.find((v) => v.propertyId === property.id)?.value ?? null;
    const next = parsed.value?.value ?? null;
    if (old === next) continue;
    await writePropertyValue(tx, member.id, property.id, parsed.value);
    before[property.key] = old === null ? "" : displayValue(property, old, units);
    after[property.key] = next === null ? "" : displayValue(property, next, units);
  }
  const changed = Object.keys(after).length > 0;
  if (changed) {
    await recordAuditBy(tx, actor, { action: "member.properties_changed", target: { type: "user", id: member.id }, details: { email: member.email, before, after } });
    await applyRules(tx, actor.principal.accountId, { userIds: [member.id] }, actor);
  }
  return { who: member.name || member.email, changed };
}
