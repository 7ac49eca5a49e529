import { z } from "zod";

export const emailField = z
  .string({ error: "Enter an email address." })
  .trim()
  .min(1, "Enter an email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address."))
  .transform((email) => email.toLowerCase());

export const nameField = z
  .string()
  .trim()
  .max(100, "Names are at most 100 characters.")
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "Names cannot contain control characters.");

export const memberIdField = z.uuid({ error: "Unknown member." });

/** A3: the roles chosen for someone — predefined roles' keys or custom roles' IDs. */
export const roleListField = z
  .array(z.string().max(64), { error: "Choose at least one role." })
  .min(1, "Choose at least one role.")
  .max(50, "Choose fewer roles.");

/** A5: when something ends, as an ISO 8601 instant (normalised to UTC, so a step-up code binds one value). */
export const expiryField = z.iso
  .datetime({ offset: true, error: "Enter a date and time." })
  .transform((value) => new Date(value).toISOString());

/** A4: a unit of the account (a foreign or unknown ID reads as "no such unit"). */
export const unitIdField = z.uuid({ error: "No such unit in this account." });

/** A4: the unit a new person joins; empty for none. */
export const optionalUnitField = z
  .union([z.literal(""), z.null(), unitIdField])
  .optional()
  .transform((value) => value || null);

/** A4: a unit's name, as siblings tell each other apart. */
export const unitNameField = nameField.pipe(z.string().min(1, "Name the unit, e.g. EMEA or Plant 2."));

/** A4: roles given on units — a role and the unit each. */
export const unitRolesField = z.array(z.object({ role: z.string().max(64), unitId: unitIdField }), { error: "Choose a role and a unit." }).max(50, "Give fewer roles on units.");
