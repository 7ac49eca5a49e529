import type { Executor } from "@/db/client";
import {
  deleteProperty as deletePropertyRow,
  findPropertyForUpdate,
  insertProperty,
  listProperties,
  propertyValuesOf,
  updateProperty,
  valuesInUse,
  writePropertyValue,
} from "@/db/queries/properties";
import { listUnitTree } from "@/db/queries/units";
import type { PropertyType } from "@/db/schema";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import { assertOutranks, visibleMemberOrRefuse } from "@/lib/team/members";
import { applyRulesWithinReach } from "./rules";
import { displayValue, parsePropertyValue } from "./values";

/** The kinds of property (A7), for forms and their input schemas. */
export { PROPERTY_TYPES } from "@/db/schema";

export const NO_SUCH_PROPERTY = "No such property in this account.";

const cleanChoices = (choices: readonly string[]) => [...new Set(choices.map((c) => c.trim()).filter(Boolean))];
const people = (n: number) => (n === 1 ? "1 person" : `${n} people`);

/** A7: defines a property (its key is how a CSV import's header and the team filter name it). */
export async function defineProperty(tx: Executor, actor: Actor, input: { key: string; label: string; type: PropertyType; choices: string[] }) {
  const choices = input.type === "choice" ? cleanChoices(input.choices) : [];
  if (input.type === "choice" && choices.length === 0) refuse("Give the choices, one a line.", "invalid");
  const row = await insertProperty(tx, actor.principal.accountId, { ...input, choices });
  if (!row) refuse(`There is already a property with the key “${input.key}”.`);
  await recordAuditBy(tx, actor, { action: "property.created", target: { type: "property", id: row.id }, details: { key: input.key, label: input.label, type: input.type, choices } });
  return { id: row.id, key: input.key };
}

/**
 * A7: renames a property (its label; the key stays, CSV files and links name it) and, for a
 * choice, changes its choices — added, reordered, or taken away when nobody has one and no
 * access rule matches it (refused otherwise, saying how many people have it). Nobody's
 * value changes, so no rule's outcome does: no code asked, no rules run.
 */
export async function changeProperty(tx: Executor, actor: Actor, input: { propertyId: string; label: string; choices: string[] }) {
  // FOR UPDATE: value writers hold it FOR SHARE (listProperties), so none checks a choice being taken away.
  const property = await findPropertyForUpdate(tx, actor.principal.accountId, input.propertyId);
  if (!property) refuse(NO_SUCH_PROPERTY, "not_found");
  const choices = property.type === "choice" ? cleanChoices(input.choices) : [];
  if (property.type === "choice" && choices.length === 0) refuse("Give the choices, one a line.", "invalid");
  const removed = property.choices.filter((choice) => !choices.includes(choice));
  const inUse = await valuesInUse(tx, property.id, removed);
  if (inUse.length) {
    refuse(
      inUse
        .map((use) => {
          const rules = `the access ${use.rules.length === 1 ? "rule" : "rules"} ${use.rules.map((name) => `“${name}”`).join(", ")}`;
          const what = [use.people ? `the value of ${people(use.people)}` : "", use.rules.length ? `matched by ${rules}` : ""].filter(Boolean).join(" and ");
          const todo = use.people && use.rules.length ? "give them another value and change the rule first" : use.people ? "give them another value first" : `change or delete ${use.rules.length === 1 ? "the rule" : "the rules"} first`;
          return `“${use.value}” is ${what}: ${todo}.`;
        })
        .join(" "),
    );
  }
  const before = { label: property.label, choices: property.choices };
  const after = { label: input.label, choices };
  if (before.label === after.label && before.choices.join("\n") === after.choices.join("\n")) return { label: property.label, changed: false };
  await updateProperty(tx, actor.principal.accountId, property.id, after);
  await recordAuditBy(tx, actor, { action: "property.updated", target: { type: "property", id: property.id }, details: { key: property.key, before, after } });
  return { label: after.label, changed: true };
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
  const [properties, units, current] = await Promise.all([listProperties(tx, actor.principal.accountId, true), listUnitTree(tx, actor.principal.accountId), propertyValuesOf(tx, member.id)]);
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
    await applyRulesWithinReach(tx, actor.principal.accountId, { userIds: [member.id] }, actor);
  }
  return { who: member.name || member.email, changed };
}
