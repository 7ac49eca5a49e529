/** A6: the kinds of resource (pure data: client components read it too). */
export const RESOURCE_KINDS = ["app", "project", "workspace", "workflow", "dashboard", "data_source", "chat"] as const;
export type ResourceKindName = (typeof RESOURCE_KINDS)[number];

export const KIND_LABELS: Record<ResourceKindName, { one: string; many: string }> = {
  app: { one: "App", many: "Apps" },
  project: { one: "Project", many: "Projects" },
  workspace: { one: "Workspace", many: "Workspaces" },
  workflow: { one: "Workflow", many: "Workflows" },
  dashboard: { one: "Dashboard", many: "Dashboards" },
  data_source: { one: "Data source", many: "Data sources" },
  chat: { one: "Chat", many: "Chats" },
};

/** Apps and workflows have a size in CPU, memory and storage. */
export const isSized = (kind: string) => kind === "app" || kind === "workflow";

export const formatCpu = (millis: number) => `${Number((millis / 1000).toFixed(2))} ${millis === 1000 ? "core" : "cores"}`;
export const formatMemory = (mb: number) => (mb >= 1024 ? `${Number((mb / 1024).toFixed(2))} GiB` : `${mb} MiB`);
export const formatStorage = (gb: number) => `${gb} GiB`;
