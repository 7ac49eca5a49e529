import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { deleteUnit as deleteUnitRow, findUnit, insertUnit, isWithin, moveUnit as moveUnitRow, renameUnit as renameUnitRow, unitUsage, type FoundUnit } from "@/db/queries/units";
import { accounts } from "@/db/schema";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import { can, refusalFor, type Principal, type Scope } from "@/lib/auth/principal";
import { isUniqueViolation } from "@/lib/db-errors";

export const NO_SUCH_UNIT = "No such unit in this account.";

/** A unit as a scope: it and every unit above it (a grant on any of them covers it). */
export const unitScope = (unit: { accountId: string; line: readonly string[] }): Scope => ({ accountId: unit.accountId, units: unit.line });
/** Where the unit hangs: what a grant must cover to rename, move or delete it (the whole account for a top-level unit). */
const placeOf = (unit: FoundUnit): Scope => ({ accountId: unit.accountId, units: unit.line.slice(1) });

/**
 * A4: who may change what in the tree. Units are managed from above: `units.manage` for
 * the whole account covers every unit; given on a unit, it covers the units below it —
 * its holder creates, renames, moves and deletes those, and creates units directly
 * under their own, but does not rename, move or delete the unit they were given (that is
 * for whoever manages the level above). Out of their sight, a unit reads as not found.
 */
function assertMayManage(principal: Principal, unit: FoundUnit, doing: string) {
  const refusal = refusalFor(principal, "units.manage", placeOf(unit));
  if (!refusal) return;
  if (can(principal, "units.manage", unitScope(unit))) {
    refuse(`You cannot ${doing} ${unit.name}: you manage the units below it. Ask someone who manages the units above it.`, "forbidden");
  }
  refuse(refusal.code === "not_found" ? NO_SUCH_UNIT : refusal.message, refusal.code);
}

/** Where a unit may go or be made: under a unit the principal manages units in, or at the top for the whole account's managers. */
function assertMayPlaceUnder(principal: Principal, parent: FoundUnit | null) {
  const refusal = refusalFor(principal, "units.manage", parent ? unitScope(parent) : { accountId: principal.accountId });
  if (!refusal) return;
  if (!parent) refuse("Only someone who manages every unit can add a top-level unit: choose a parent among your units.", "forbidden");
  refuse(refusal.code === "not_found" ? NO_SUCH_UNIT : refusal.message, refusal.code);
}

export async function unitOrRefuse(db: Executor, accountId: string, unitId: string) {
  const unit = await findUnit(db, accountId, unitId);
  if (!unit) refuse(NO_SUCH_UNIT, "not_found");
  return unit;
}

/** Serialises every change to one account's tree: a move checked for cycles stays valid until it commits. */
async function lockTree(tx: Executor, accountId: string) {
  await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)).for("no key update");
}

const nameTaken = (name: string) => `There is already a unit named ${name} in that place. Choose another name.`;

/** Runs a write that may hit the sibling-name index in a savepoint, so the refusal leaves the transaction usable. */
async function withUniqueName<T>(tx: Executor, name: string, write: (sp: Executor) => Promise<T>): Promise<T> {
  try {
    return await tx.transaction((sp) => write(sp));
  } catch (error) {
    if (isUniqueViolation(error)) refuse(nameTaken(name));
    throw error;
  }
}

/** A4: a new unit under `parentId`, or at the top. */
export async function createUnit(tx: Executor, actor: Actor, input: { name: string; parentId: string | null }) {
  const { principal } = actor;
  await lockTree(tx, principal.accountId);
  const parent = input.parentId ? await unitOrRefuse(tx, principal.accountId, input.parentId) : null;
  assertMayPlaceUnder(principal, parent);
  const unit = await withUniqueName(tx, input.name, (sp) => insertUnit(sp, { accountId: principal.accountId, parentId: parent?.id ?? null, name: input.name }));
  await recordAuditBy(tx, actor, { action: "unit.created", target: { type: "unit", id: unit.id }, details: { name: input.name, parent: parent?.name ?? null } });
  return { id: unit.id, name: input.name };
}

export async function renameUnit(tx: Executor, actor: Actor, input: { unitId: string; name: string }) {
  const { principal } = actor;
  await lockTree(tx, principal.accountId);
  const unit = await unitOrRefuse(tx, principal.accountId, input.unitId);
  assertMayManage(principal, unit, "rename");
  if (unit.name === input.name) return { id: unit.id, name: unit.name, changed: false };
  await withUniqueName(tx, input.name, (sp) => renameUnitRow(sp, unit.id, input.name));
  await recordAuditBy(tx, actor, { action: "unit.renamed", target: { type: "unit", id: unit.id }, details: { before: unit.name, after: input.name } });
  return { id: unit.id, name: input.name, changed: true };
}

/** Checks before a step-up code is sent, so nobody verifies a move that cannot run. */
export async function planMove(db: Executor, principal: Principal, input: { unitId: string; parentId: string | null }) {
  const unit = await unitOrRefuse(db, principal.accountId, input.unitId);
  assertMayManage(principal, unit, "move");
  const parent = input.parentId ? await unitOrRefuse(db, principal.accountId, input.parentId) : null;
  assertMayPlaceUnder(principal, parent);
  if (parent && (parent.id === unit.id || (await isWithin(db, parent.id, unit.id)))) {
    refuse(
      parent.id === unit.id
        ? `A unit cannot be placed under itself. Choose another parent for ${unit.name}.`
        : `${parent.name} is inside ${unit.name}, so ${unit.name} cannot move under it. Choose a parent outside ${unit.name}, or move ${parent.name} out first.`,
    );
  }
  return { unit, parent };
}

/**
 * A4: moves a unit with everything below it. Its members come along; so do the roles
 * given on it and below, which from then on cover it where it is now.
 */
export async function moveUnit(tx: Executor, actor: Actor, input: { unitId: string; parentId: string | null }) {
  await lockTree(tx, actor.principal.accountId);
  const { unit, parent } = await planMove(tx, actor.principal, input);
  if (unit.parentId === (parent?.id ?? null)) return { id: unit.id, name: unit.name, changed: false };
  const before = unit.parentId ? await findUnit(tx, unit.accountId, unit.parentId) : null;
  await withUniqueName(tx, unit.name, (sp) => moveUnitRow(sp, unit.id, parent?.id ?? null));
  await recordAuditBy(tx, actor, {
    action: "unit.moved",
    target: { type: "unit", id: unit.id },
    details: { name: unit.name, before: before?.name ?? null, after: parent?.name ?? null },
  });
  return { id: unit.id, name: unit.name, changed: true };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Checks before deleting: only an empty unit goes, and the refusal says what to do first. */
export async function planDelete(db: Executor, principal: Principal, input: { unitId: string }) {
  const unit = await unitOrRefuse(db, principal.accountId, input.unitId);
  assertMayManage(principal, unit, "delete");
  const usage = await unitUsage(db, unit.id);
  const held = [
    usage.subunits > 0 && plural(usage.subunits, "sub-unit", "sub-units"),
    usage.members > 0 && plural(usage.members, "member", "members"),
    usage.grants > 0 && plural(usage.grants, "role given on it", "roles given on it"),
    usage.rules > 0 && plural(usage.rules, "access rule giving a role on it", "access rules giving a role on it"),
    usage.values > 0 && plural(usage.values, "person whose property names it", "people whose properties name it"),
  ].filter(Boolean);
  if (held.length > 0) {
    const todo = [
      usage.subunits > 0 && "move or delete its sub-units",
      usage.members > 0 && "take its members out of it (on their pages) or move them to another unit",
      usage.grants > 0 && "take away the roles given on it",
      usage.rules > 0 && "change or delete those rules (Properties)",
      usage.values > 0 && "change those people's properties",
    ].filter(Boolean);
    refuse(`${unit.name} still has ${held.join(", ")}. First ${todo.join(", then ")}.`);
  }
  return unit;
}

/** A4: deletes an empty unit (nothing below it, nobody in it, no role given on it). */
export async function deleteUnit(tx: Executor, actor: Actor, input: { unitId: string }) {
  await lockTree(tx, actor.principal.accountId);
  const unit = await planDelete(tx, actor.principal, input);
  await deleteUnitRow(tx, unit.id);
  await recordAuditBy(tx, actor, { action: "unit.deleted", target: { type: "unit", id: unit.id }, details: { name: unit.name } });
  return { name: unit.name };
}
