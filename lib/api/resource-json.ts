import type { ResourceRow } from "@/db/queries/resources";

/** A resource as /api/v1 answers with it (A6). */
export const resourceJson = (row: ResourceRow) => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  owner: { id: row.ownerId, name: row.ownerName, email: row.ownerEmail },
  parentId: row.parentId,
  teamId: row.teamId,
  size: row.kind === "app" || row.kind === "workflow" ? { cpuMillis: row.cpuMillis, memoryMb: row.memoryMb, storageGb: row.storageGb } : null,
  allUsers: row.allUsers,
  sharedWith: row.shares.map((share) => ({ type: share.teamId ? "team" : "user", id: share.teamId ?? share.userId, name: share.name, level: share.level, inherited: share.inherited })),
});
