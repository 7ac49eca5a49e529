"use server";

import { z } from "zod";
import { defineAction, refuse } from "@/lib/actions/define-action";
import { importProperties, planImport } from "@/lib/properties/csv-import";
import { changeProperty, defineProperty, deleteProperty, PROPERTY_TYPES } from "@/lib/properties/properties";
import { createRule, deleteRule, previewRule, updateRule } from "@/lib/properties/rules";
import { unitIdField } from "@/lib/team/schemas";

// A7: properties and access rules. Defining a property changes nobody's access: no code.
// A rule gives and takes roles, and an import may set what rules match on: both ask
// "Verify it's you", as a role change does.
const propertyFields = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, "A key is lower-case letters, digits and _, starting with a letter (at most 40)."),
  label: z.string().trim().min(1, "Give the property a label.").max(60, "A label is at most 60 characters."),
  type: z.enum(PROPERTY_TYPES, { error: "Choose a type." }),
  choices: z.array(z.string().trim().max(100)).max(100, "At most 100 choices.").default([]),
});

export const createProperty = defineAction({
  name: "property.create",
  permission: "properties.manage",
  revalidate: "/properties",
  input: propertyFields,
  run: (ctx, input) => defineProperty(ctx.tx, ctx.actor, input),
});

/** Renaming a property or changing its choices changes nobody's value, so nobody's access: no code. */
export const editProperty = defineAction({
  name: "property.update",
  permission: "properties.manage",
  revalidate: "/properties",
  input: propertyFields.pick({ label: true, choices: true }).extend({ propertyId: z.uuid() }),
  run: (ctx, input) => changeProperty(ctx.tx, ctx.actor, input),
});

export const removeProperty = defineAction({
  name: "property.delete",
  permission: "properties.manage",
  revalidate: "/properties",
  input: z.object({ propertyId: z.uuid() }),
  run: (ctx, input) => deleteProperty(ctx.tx, ctx.actor, input),
});

const ruleFields = z.object({
  name: z.string().trim().min(1, "Give the rule a name.").max(100, "A name is at most 100 characters."),
  propertyId: z.uuid({ error: "Choose a property." }),
  value: z.string().max(200),
  // A rule gives a role (optionally on a unit) or, A8, an app role: lib/properties/rules.ts checks it is one of the two.
  role: z.string().max(64),
  unitId: z.union([z.literal(""), z.null(), unitIdField]).transform((value) => value || null),
  appRoleId: z.uuid({ error: "Choose an app role from the list." }).nullable().default(null),
});

/** Read-only: the rule is saved and rolled back inside the transaction (lib/properties/rules.ts). */
export const previewAccessRule = defineAction({
  name: "rule.preview",
  permission: "properties.manage",
  input: ruleFields.extend({ ruleId: z.uuid().nullable() }),
  run: (ctx, input) => previewRule(ctx.tx, ctx.actor, input),
});

export const createAccessRule = defineAction({
  name: "rule.create",
  permission: "properties.manage",
  revalidate: "/properties",
  input: ruleFields,
  // Checked (and refused, saying why) before a code is sent: the preview saves and rolls back.
  check: async (ctx, input) => void (await previewRule(ctx.db, ctx.actor, { ...input, ruleId: null })),
  stepUp: (input, ctx) => ({ targetId: ctx.user.accountId, label: `create the rule ${input.name}` }),
  run: (ctx, input) => createRule(ctx.tx, ctx.actor, input),
});

export const updateAccessRule = defineAction({
  name: "rule.update",
  permission: "properties.manage",
  revalidate: "/properties",
  input: ruleFields.extend({ ruleId: z.uuid() }),
  check: async (ctx, input) => void (await previewRule(ctx.db, ctx.actor, input)),
  stepUp: (input) => ({ targetId: input.ruleId, label: `change the rule ${input.name}` }),
  run: (ctx, input) => updateRule(ctx.tx, ctx.actor, input),
});

export const deleteAccessRule = defineAction({
  name: "rule.delete",
  permission: "properties.manage",
  revalidate: "/properties",
  input: z.object({ ruleId: z.uuid(), name: z.string().max(100) }),
  stepUp: (input) => ({ targetId: input.ruleId, label: `delete the rule ${input.name}` }),
  run: (ctx, input) => deleteRule(ctx.tx, ctx.actor, input),
});

const csvField = z.string().min(1, "Choose or paste a CSV file.").max(1_000_000, "The file is too large (at most 1 MB): split it.");

/** Read-only: what an import would change, or its bad rows by line. */
export const previewImport = defineAction({
  name: "properties.preview_import",
  permission: "properties.manage",
  input: z.object({ csv: csvField }),
  run: async (ctx, input) => {
    const { rows, errors } = await planImport(ctx.tx, ctx.user.accountId, input.csv);
    return { rows, errors };
  },
});

export const applyImport = defineAction({
  name: "properties.import",
  permission: "properties.manage",
  revalidate: "/properties",
  input: z.object({ csv: csvField }),
  stepUp: async (input, ctx) => {
    const plan = await planImport(ctx.db, ctx.user.accountId, input.csv);
    return { targetId: ctx.user.accountId, label: `import property values for ${plan.rows.length} ${plan.rows.length === 1 ? "person" : "people"}` };
  },
  check: async (ctx, input) => {
    const plan = await planImport(ctx.db, ctx.user.accountId, input.csv);
    if (plan.errors.length) {
      refuse(`Nothing was imported: ${plan.errors.map((e) => `line ${e.line}: ${e.message}`).join(" ")}`, "invalid");
    }
  },
  run: (ctx, input) => importProperties(ctx.tx, ctx.actor, input),
});
