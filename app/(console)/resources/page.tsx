import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listAccountResources, listPeopleChoices, listTeams, resourceScopeOf } from "@/db/queries/resources";
import { ResourcesView, type ResourceItem } from "@/components/resources/resources-view";
import { can, mayNotSee } from "@/lib/auth/principal";
import { requirePermission } from "@/lib/auth/session";
import { accessTo, visibleResources } from "@/lib/resources/resources";

export const metadata: Metadata = { title: "Resources" };

/**
 * A6: the resources this principal may see (can(…, "resource.view", resource) for each),
 * with owner, kind and who each is shared with; Share and resize where they may edit.
 * `?owner=` narrows to one person's (the member page's ties link here).
 */
export default async function ResourcesPage({ searchParams }: { searchParams: Promise<{ owner?: string; kind?: string }> }) {
  const user = await requirePermission("content.view");
  const db = await getDb();
  const { owner, kind } = await searchParams;
  const all = await listAccountResources(db, user.accountId);
  const teams = (await listTeams(db, user.accountId)).filter((team) => !team.archivedAt);
  const people = (await listPeopleChoices(db, user.accountId)).filter((person) => !mayNotSee(user, person.email) && person.status === "active");
  const shown = visibleResources(user, all).filter((row) => (!owner || row.ownerId === owner) && (!kind || row.kind === kind));
  const items: ResourceItem[] = shown.map((row) => {
    const access = accessTo(user, row);
    const editable = access === "edit";
    // A workflow's viewers see its execution log only: not its size, nor who it is shared with.
    const logOnly = access === "log";
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      owner: row.ownerName || row.ownerEmail,
      ownerId: row.ownerId,
      parentName: row.parentName,
      teamName: row.teamName,
      size: !logOnly && (row.kind === "app" || row.kind === "workflow") ? { cpuMillis: row.cpuMillis, memoryMb: row.memoryMb, storageGb: row.storageGb } : null,
      allUsers: !logOnly && row.allUsers,
      shares: logOnly ? [] : row.shares,
      editable,
      logOnly,
      // A team's lead may change what is shared with their team.
      sharableByLead: !editable && teams.some((team) => can(user, "team.manage_members", { kind: "team", accountId: team.accountId, id: team.id, leadId: team.leadId })),
    };
  });
  const myTeams = teams.filter((team) => user.teams.has(team.id) || can(user, "teams.manage")).map((team) => ({ id: team.id, name: team.name }));
  const projects = visibleResources(user, all)
    .filter((row) => row.kind === "project" && can(user, "resource.edit", resourceScopeOf(row)))
    .map((row) => ({ id: row.id, name: row.name }));
  const ownerName = owner ? all.find((row) => row.ownerId === owner)?.ownerName : undefined;
  return (
    <section className="max-w-6xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Resources</h1>
        <p className="text-sm text-slate-600">
          Apps, projects and their workspaces, workflows, dashboards, data sources and chats you may see: your own, those shared with you or a team of
          yours, and data sources open to all users.{owner ? ` Showing ${ownerName ?? "one person"}'s${kind ? ` ${kind.replace("_", " ")}s` : ""} only.` : ""}
        </p>
      </div>
      <ResourcesView
        items={items}
        teams={teams.map((team) => ({ id: team.id, name: team.name }))}
        myTeams={myTeams}
        projects={projects}
        people={people.filter((person) => person.id !== user.id).map((person) => ({ id: person.id, name: person.name || person.email }))}
        mayCreate={can(user, "content.create")}
      />
    </section>
  );
}
