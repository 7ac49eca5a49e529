import type { Quotas, TeamUsage } from "@/db/queries/resources";
import { formatCpu, formatMemory, formatStorage } from "./kinds";

/** A6: each quota — the team's limit, what counts against it, and how people read amounts of it. */
export const QUOTAS = [
  { key: "maxCpuMillis", usage: "cpuMillis", label: "CPU", format: formatCpu },
  { key: "maxMemoryMb", usage: "memoryMb", label: "memory", format: formatMemory },
  { key: "maxStorageGb", usage: "storageGb", label: "storage", format: formatStorage },
  { key: "maxApps", usage: "apps", label: "apps", format: (n: number) => `${n} ${n === 1 ? "app" : "apps"}` },
  { key: "maxWorkflows", usage: "workflows", label: "workflows", format: (n: number) => `${n} ${n === 1 ? "workflow" : "workflows"}` },
  { key: "maxWorkspaces", usage: "workspaces", label: "workspaces", format: (n: number) => `${n} ${n === 1 ? "workspace" : "workspaces"}` },
] as const satisfies readonly { key: keyof Quotas; usage: keyof TeamUsage; label: string; format: (n: number) => string }[];

/**
 * A6: the first quota this change would pass — `delta` is what the new or resized resource
 * adds to the team's usage — as a sentence naming the quota and current usage; null when
 * every quota still holds. A change that adds nothing to a quota never passes it (a team
 * already over a lowered quota may still shrink).
 */
export function quotaBreach(team: { name: string } & Quotas, usage: TeamUsage, delta: Partial<TeamUsage>): string | null {
  for (const quota of QUOTAS) {
    const limit = team[quota.key];
    const adds = delta[quota.usage] ?? 0;
    if (limit === null || adds <= 0) continue;
    const used = usage[quota.usage];
    if (used + adds > limit) {
      return `This would pass the ${team.name} team's ${quota.label} quota: ${quota.format(used)} of ${quota.format(limit)} in use, and this needs ${quota.format(adds)} more.`;
    }
  }
  return null;
}
