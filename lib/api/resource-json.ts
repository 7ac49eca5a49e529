import type { ResourceRow } from "@/db/queries/resources";

/**
 * A resource as /api/v1 answers with it (A6), with the caller's `access` to it: a workflow's
 * viewer ("log") gets what names it — never its size or who it is shared with.
 */
export const resourceJson = (row: ResourceRow, access: "edit" | "view" | "log") => {
  const named = { id: row.id, kind: row.kind, name: row.name, owner: { id: row.ownerId, name: row.ownerName, email: row.ownerEmail }, access };
  if (access === "log") return named;
  return {
    ...named,
    parentId: row.parentId,
    teamId: row.teamId,
    size: row.kind === "app" || row.kind === "workflow" ? { cpuMillis: row.cpuMillis, memoryMb: row.memoryMb, storageGb: row.storageGb } : null,
    allUsers: row.allUsers,
    sharedWith: row.shares.map((share) => ({ type: share.teamId ? "team" : "user", id: share.teamId ?? share.userId, name: share.name, level: share.level, inherited: share.inherited })),
  };
};
