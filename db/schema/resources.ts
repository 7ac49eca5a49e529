import { sql } from "drizzle-orm";
import { type AnyPgColumn, boolean, check, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts, users } from "./accounts";

export const resourceKind = pgEnum("resource_kind", ["app", "project", "workspace", "workflow", "dashboard", "data_source", "chat"]);
export const shareLevel = pgEnum("share_level", ["view", "edit"]);

/**
 * A6, T3: what members own on the platform (it outlives its owner's access). Migration 0026
 * moved the former content_items here. A workspace lives in a project (`parent_id`); apps
 * and workflows have a size, which counts against the quotas of the team they are in.
 */
export const resources = pgTable(
  "resources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    kind: resourceKind("kind").notNull(),
    name: text("name").notNull(),
    // Restrict: a project with workspaces is not deleted from under them.
    parentId: uuid("parent_id").references((): AnyPgColumn => resources.id, { onDelete: "restrict" }),
    /** The team whose quotas it counts against (A6), if any. */
    teamId: uuid("team_id").references((): AnyPgColumn => teams.id, { onDelete: "set null" }),
    /** Apps and workflows: millicores, MiB, GiB. */
    cpuMillis: integer("cpu_millis"),
    memoryMb: integer("memory_mb"),
    storageGb: integer("storage_gb"),
    /** A data source open to everyone in the account ("All users"), to view. */
    allUsers: boolean("all_users").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("resources_account_idx").on(t.accountId, t.kind),
    index("resources_owner_idx").on(t.ownerId),
    index("resources_parent_idx").on(t.parentId),
    index("resources_team_idx").on(t.teamId),
    check("resources_workspace_parent", sql`(${t.kind} = 'workspace') = (${t.parentId} is not null)`),
  ],
);

/** A6: named teams with members, an optional lead, and optional quotas. */
export const teams = pgTable(
  "teams",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => accounts.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    leadId: uuid("lead_id").references(() => users.id, { onDelete: "set null" }),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    maxCpuMillis: integer("max_cpu_millis"),
    maxMemoryMb: integer("max_memory_mb"),
    maxStorageGb: integer("max_storage_gb"),
    maxApps: integer("max_apps"),
    maxWorkflows: integer("max_workflows"),
    maxWorkspaces: integer("max_workspaces"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("teams_account_name_unique").on(t.accountId, sql`lower(${t.name})`)],
);

export const teamMembers = pgTable(
  "team_members",
  {
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("team_members_user_idx").on(t.userId)],
);

/** A6: a resource shared with a team or a person, to view or to edit. */
export const resourceShares = pgTable(
  "resource_shares",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    resourceId: uuid("resource_id")
      .notNull()
      .references(() => resources.id, { onDelete: "cascade" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    level: shareLevel("level").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("resource_shares_one_grantee", sql`(${t.teamId} is null) <> (${t.userId} is null)`),
    uniqueIndex("resource_shares_team_unique").on(t.resourceId, t.teamId),
    uniqueIndex("resource_shares_user_unique").on(t.resourceId, t.userId),
    index("resource_shares_team_idx").on(t.teamId),
    index("resource_shares_user_idx").on(t.userId),
  ],
);

export type Resource = typeof resources.$inferSelect;
export type Team = typeof teams.$inferSelect;
export type ResourceKind = (typeof resourceKind.enumValues)[number];
export type ShareLevel = (typeof shareLevel.enumValues)[number];
