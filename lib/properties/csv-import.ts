import { parse } from "csv-parse/sync";
import type { Executor } from "@/db/client";
import { listProperties, membersByEmail, writePropertyValue, type PropertyRow } from "@/db/queries/properties";
import { listUnitTree } from "@/db/queries/units";
import type { Actor } from "@/lib/actions/actor";
import { refuse } from "@/lib/actions/refusal";
import { recordAuditBy } from "@/lib/audit";
import type { TreeUnit } from "@/lib/org-units/tree";
import { applyRulesWithinReach } from "./rules";
import { displayValue, parsePropertyValue, type StoredValue } from "./values";

/** A7: at most this many people in one import (a larger file is split). */
export const IMPORT_MAX_ROWS = 5000;

export type ImportChange = { key: string; label: string; before: string; after: string };
export type ImportRow = { line: number; email: string; changes: ImportChange[] };
export type ImportError = { line: number; message: string };
export type ImportPlan = { rows: ImportRow[]; errors: ImportError[]; writes: { userId: string; propertyId: string; value: StoredValue }[] };

type Member = { id: string; email: string; values: Record<string, string> };

/**
 * A7: reads `email,<key>,<key>…` (a header line, then a person a line) against the
 * account's properties, members and units — pure, so the preview and the import decide
 * alike. Every bad row is reported by its line; an empty cell keeps the value as it is.
 */
export function planImportRows(records: { line: number; cells: string[] }[], properties: readonly PropertyRow[], members: readonly Member[], units: readonly TreeUnit[]): ImportPlan {
  const errors: ImportError[] = [];
  const rows: ImportRow[] = [];
  const writes: ImportPlan["writes"] = [];
  const [header, ...body] = records;
  if (!header) return { rows, errors: [{ line: 1, message: "The file is empty: its first line is email, then property keys." }], writes };
  const [first, ...keys] = header.cells.map((cell) => cell.trim());
  if (first?.toLowerCase() !== "email") errors.push({ line: header.line, message: "The first column is email." });
  const columns = keys.map((key) => properties.find((p) => p.key === key));
  keys.forEach((key, i) => {
    if (!columns[i]) errors.push({ line: header.line, message: `No property with the key “${key}”.` });
    else if (keys.indexOf(key) !== i) errors.push({ line: header.line, message: `The column “${key}” is there twice.` });
  });
  if (keys.length === 0) errors.push({ line: header.line, message: "Add a column for at least one property." });
  if (body.length > IMPORT_MAX_ROWS) errors.push({ line: body[IMPORT_MAX_ROWS].line, message: `At most ${IMPORT_MAX_ROWS} people in one import: split the file.` });
  if (errors.length) return { rows, errors, writes };
  const byEmail = new Map(members.map((m) => [m.email.toLowerCase(), m]));
  const seen = new Set<string>();
  for (const { line, cells } of body.slice(0, IMPORT_MAX_ROWS)) {
    const email = (cells[0] ?? "").trim();
    if (cells.length !== keys.length + 1) {
      errors.push({ line, message: `Expected ${keys.length + 1} columns, found ${cells.length}.` });
      continue;
    }
    const member = byEmail.get(email.toLowerCase());
    if (!email) {
      errors.push({ line, message: "The email is missing." });
      continue;
    }
    if (!member) {
      errors.push({ line, message: `${email} is not a member of this account.` });
      continue;
    }
    if (seen.has(member.id)) {
      errors.push({ line, message: `${email} is on an earlier line too.` });
      continue;
    }
    seen.add(member.id);
    const changes: ImportChange[] = [];
    columns.forEach((property, i) => {
      if (!property || (cells[i + 1] ?? "").trim() === "") return;
      const parsed = parsePropertyValue(property, cells[i + 1], units);
      if (!parsed.ok) return errors.push({ line, message: parsed.error });
      const value = parsed.value!;
      const old = member.values[property.id] ?? null;
      if (old === value.value) return;
      changes.push({ key: property.key, label: property.label, before: old === null ? "" : displayValue(property, old, units), after: displayValue(property, value.value, units) });
      writes.push({ userId: member.id, propertyId: property.id, value });
    });
    if (changes.length) rows.push({ line, email: member.email, changes });
  }
  return { rows, errors, writes: errors.length ? [] : writes };
}

/** CSV text as records with the line each starts on; a file that is not CSV is one error. */
export function readCsv(text: string): { ok: true; records: { line: number; cells: string[] }[] } | { ok: false; error: ImportError } {
  try {
    const parsed = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    // info.lines is the line a record ends on; a quoted cell may span lines.
    const newlines = (cells: string[]) => cells.reduce((n, cell) => n + (cell.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
    return { ok: true, records: parsed.map(({ record, info }) => ({ line: info.lines - newlines(record), cells: record })) };
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { ok: false, error: { line, message: `This line is not valid CSV: ${(error as Error).message.replace(/^Invalid [^:]*: /, "")}` } };
  }
}

/** A7: what an import would change, or every bad row by line (the preview). */
export async function planImport(db: Executor, accountId: string, csv: string, lock = false): Promise<ImportPlan> {
  const read = readCsv(csv);
  if (!read.ok) return { rows: [], errors: [read.error], writes: [] };
  const emails = read.records.slice(1).map((r) => (r.cells[0] ?? "").trim()).filter(Boolean);
  const [properties, members, units] = await Promise.all([listProperties(db, accountId, lock), membersByEmail(db, accountId, emails), listUnitTree(db, accountId)]);
  return planImportRows(read.records, properties, members, units);
}

/**
 * A7: writes an import in one transaction — all of it, or (any bad row) none of it — with
 * one audit event for the import and one for each role a rule gives or takes back.
 */
export async function importProperties(tx: Executor, actor: Actor, input: { csv: string }) {
  const plan = await planImport(tx, actor.principal.accountId, input.csv, true);
  if (plan.errors.length) refuse(`Nothing was imported: ${plan.errors.map((e) => `line ${e.line}: ${e.message}`).join(" ")}`, "invalid");
  for (const write of plan.writes) await writePropertyValue(tx, write.userId, write.propertyId, write.value);
  const userIds = [...new Set(plan.writes.map((w) => w.userId))];
  await recordAuditBy(tx, actor, { action: "properties.imported", target: { type: "account", id: actor.principal.accountId }, details: { people: userIds.length, values: plan.writes.length } });
  const ruleChanges = await applyRulesWithinReach(tx, actor.principal.accountId, { userIds }, actor);
  return { people: userIds.length, values: plan.writes.length, ruleChanges: ruleChanges.length };
}
