import type { PropertyType } from "@/db/schema";
import { pathName, type TreeUnit } from "@/lib/org-units/tree";

/** A7: a property as the validators need it. */
export type PropertyDef = { id: string; key: string; label: string; type: PropertyType; choices: string[] };

export const PROPERTY_VALUE_MAX = 200;

/** What a value is stored as: the text rules and filters match on, and for a unit its ID. */
export type StoredValue = { value: string; unitId: string | null };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(text: string) {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/**
 * A7: a value typed or imported for a property, checked against its type — a choice one
 * of its choices, a date a real YYYY-MM-DD, a unit one of the account's (by ID, or by its
 * path of names "EMEA / Germany", case-insensitive). Empty means "no value".
 */
export function parsePropertyValue(property: PropertyDef, raw: string, units: readonly TreeUnit[]): { ok: true; value: StoredValue | null } | { ok: false; error: string } {
  const text = raw.trim();
  if (text === "") return { ok: true, value: null };
  if (text.length > PROPERTY_VALUE_MAX) return { ok: false, error: `${property.label}: at most ${PROPERTY_VALUE_MAX} characters.` };
  switch (property.type) {
    case "text":
      return { ok: true, value: { value: text, unitId: null } };
    case "choice": {
      const choice = property.choices.find((c) => c.toLowerCase() === text.toLowerCase());
      return choice ? { ok: true, value: { value: choice, unitId: null } } : { ok: false, error: `${property.label}: “${text}” is not one of ${property.choices.join(", ")}.` };
    }
    case "date":
      return isCalendarDate(text) ? { ok: true, value: { value: text, unitId: null } } : { ok: false, error: `${property.label}: “${text}” is not a date (YYYY-MM-DD).` };
    case "unit": {
      const unit = units.find((u) => u.id === text) ?? units.find((u) => pathName(units, u.id).toLowerCase() === text.toLowerCase());
      return unit ? { ok: true, value: { value: unit.id, unitId: unit.id } } : { ok: false, error: `${property.label}: no unit “${text}” in this account.` };
    }
  }
}

/** A stored value as people read it (a unit by its path of names). */
export function displayValue(property: { type: PropertyType }, value: string, units: readonly TreeUnit[]) {
  return property.type === "unit" ? (units.some((u) => u.id === value) ? pathName(units, value) : "(deleted unit)") : value;
}
