import { z } from "zod";
import { RESOURCE_KINDS } from "./kinds";

export const resourceIdField = z.uuid({ error: "No such resource." });
export const teamIdField = z.uuid({ error: "No such team." });

export const resourceNameField = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(120, "Names are at most 120 characters.")
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "Names cannot contain control characters.");

const amount = (what: string, max: number) =>
  z.union([z.null(), z.literal(""), z.coerce.number({ error: `${what}: a whole number.` }).int(`${what}: a whole number.`).min(0, `${what} cannot be negative.`).max(max, `${what} is at most ${max}.`)]).transform((value) => (value === "" ? null : value));

/** Apps and workflows: millicores, MiB and GiB (the console's form converts cores and GiB). */
export const sizeFields = {
  cpuMillis: amount("CPU", 1_000_000).optional().default(null),
  memoryMb: amount("Memory", 100_000_000).optional().default(null),
  storageGb: amount("Storage", 1_000_000).optional().default(null),
};

export const createResourceInput = z.object({
  kind: z.enum(RESOURCE_KINDS, { error: "Choose a kind." }),
  name: resourceNameField,
  parentId: z.union([z.null(), z.literal(""), resourceIdField]).optional().transform((value) => value || null),
  teamId: z.union([z.null(), z.literal(""), teamIdField]).optional().transform((value) => value || null),
  allUsers: z.boolean().optional().default(false),
  ...sizeFields,
});
export type CreateResourceInput = z.output<typeof createResourceInput>;

export const resizeResourceInput = z.object({ resourceId: resourceIdField, ...sizeFields });

export const shareInput = z.object({
  resourceId: resourceIdField,
  with: z.union([z.object({ teamId: teamIdField }).strict(), z.object({ userId: z.uuid({ error: "Unknown member." }) }).strict()]),
  level: z.enum(["view", "edit"], { error: "Choose View or Edit." }),
});

export const quotaFields = {
  maxCpuMillis: amount("Max CPU", 100_000_000).optional().default(null),
  maxMemoryMb: amount("Max memory", 1_000_000_000).optional().default(null),
  maxStorageGb: amount("Max storage", 100_000_000).optional().default(null),
  maxApps: amount("Max apps", 100_000).optional().default(null),
  maxWorkflows: amount("Max workflows", 100_000).optional().default(null),
  maxWorkspaces: amount("Max workspaces", 100_000).optional().default(null),
};

export const teamInput = z.object({
  name: resourceNameField,
  description: z.string().trim().max(500, "Descriptions are at most 500 characters.").default(""),
  leadId: z.union([z.null(), z.literal(""), z.uuid({ error: "Unknown member." })]).transform((value) => value || null),
  memberIds: z.array(z.uuid({ error: "Unknown member." })).max(1000, "At most 1,000 members.").default([]),
  ...quotaFields,
});
export type TeamInput = z.output<typeof teamInput>;
