"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createResource, setAudience, shareResource, unshareResource } from "@/app/(console)/resources/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Field } from "@/components/ui/field";
import { SimpleTable } from "@/components/ui/simple-table";
import { formatCpu, formatMemory, formatStorage, isSized, KIND_LABELS, RESOURCE_KINDS, type ResourceKindName } from "@/lib/resources/kinds";

type Choice = { id: string; name: string };
type Share = { id: string; teamId: string | null; userId: string | null; name: string; level: "view" | "edit"; inherited: boolean };
export type ResourceItem = {
  id: string;
  kind: ResourceKindName;
  name: string;
  owner: string;
  ownerId: string;
  parentName: string | null;
  teamName: string | null;
  size: { cpuMillis: number | null; memoryMb: number | null; storageGb: number | null } | null;
  allUsers: boolean;
  shares: Share[];
  editable: boolean;
  logOnly: boolean;
  sharableByLead: boolean;
};

type Props = { items: ResourceItem[]; teams: Choice[]; myTeams: Choice[]; projects: Choice[]; people: Choice[]; mayCreate: boolean };

const sizeText = (size: ResourceItem["size"]) =>
  size ? [size.cpuMillis !== null ? formatCpu(size.cpuMillis) : null, size.memoryMb !== null ? formatMemory(size.memoryMb) : null, size.storageGb !== null ? formatStorage(size.storageGb) : null].filter(Boolean).join(" · ") || "—" : "—";

/** A6: the Resources page — the list, a New resource dialog and a Share dialog per resource. */
export function ResourcesView({ items, teams, myTeams, projects, people, mayCreate }: Props) {
  const router = useRouter();
  const [message, setMessage] = useState("");
  const [creating, setCreating] = useState(false);
  const [sharing, setSharing] = useState<string | null>(null);
  const done = (text: string) => {
    setMessage(text);
    router.refresh();
  };
  const shared = items.find((item) => item.id === sharing) ?? null;
  return (
    <div className="space-y-4">
      <p role="status" aria-label="Resources messages" className="min-h-5 text-sm text-slate-700">
        {message}
      </p>
      {mayCreate ? (
        <Button type="button" onClick={() => setCreating(true)}>
          New resource
        </Button>
      ) : null}
      <SimpleTable caption="Resources" headers={["Name", "Kind", "Owner", "Team", "Size", "Shared with", ""]} isEmpty={items.length === 0} empty="Nothing here yet.">
        {items.map((item) => (
          <tr key={item.id} aria-label={item.name}>
            <th scope="row" className="px-4 py-3 font-medium">
              {item.name}
              {item.parentName ? <span className="block text-xs font-normal text-slate-600">in {item.parentName}</span> : null}
            </th>
            <td className="px-4 py-3">{KIND_LABELS[item.kind].one}</td>
            <td className="px-4 py-3">{item.owner}</td>
            <td className="px-4 py-3">{item.teamName ?? "—"}</td>
            <td className="px-4 py-3">{sizeText(item.size)}</td>
            <td className="px-4 py-3">
              <ul aria-label={`Shared with (${item.name})`} className="space-y-1">
                {item.allUsers ? <li>All users · View</li> : null}
                {item.shares.map((share) => (
                  <li key={share.id}>
                    {share.name} · {share.level === "edit" ? "Edit" : "View"}
                    {share.inherited ? " (from its project)" : ""}
                  </li>
                ))}
                {item.logOnly ? <li className="text-slate-600">—</li> : !item.allUsers && item.shares.length === 0 ? <li className="text-slate-600">Private</li> : null}
              </ul>
            </td>
            <td className="px-4 py-3 text-right">
              {item.logOnly ? <Badge tone="blue">Execution log only</Badge> : null}
              {item.editable || item.sharableByLead ? (
                <Button type="button" variant="secondary" aria-label={`Share ${item.name}`} onClick={() => setSharing(item.id)}>
                  Share
                </Button>
              ) : null}
            </td>
          </tr>
        ))}
      </SimpleTable>
      {creating ? <NewResourceDialog teams={myTeams} projects={projects} onClose={() => setCreating(false)} onDone={done} /> : null}
      {shared ? <ShareDialog key={shared.id} item={shared} teams={teams} people={people} onClose={() => setSharing(null)} onDone={done} /> : null}
    </div>
  );
}

const numberOrNull = (text: string, scale: number) => (text.trim() === "" ? null : Math.round(Number(text) * scale));

function NewResourceDialog({ teams, projects, onClose, onDone }: { teams: Choice[]; projects: Choice[]; onClose: () => void; onDone: (text: string) => void }) {
  const [kind, setKind] = useState<ResourceKindName>("app");
  const [name, setName] = useState("");
  const [parentId, setParentId] = useState(projects[0]?.id ?? "");
  const [teamId, setTeamId] = useState("");
  const [cpu, setCpu] = useState("");
  const [memory, setMemory] = useState("");
  const [storage, setStorage] = useState("");
  const [allUsers, setAllUsers] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await createResource({
      kind,
      name,
      parentId: kind === "workspace" ? parentId : null,
      teamId: teamId || null,
      allUsers: kind === "data_source" && allUsers,
      cpuMillis: isSized(kind) ? numberOrNull(cpu, 1000) : null,
      memoryMb: isSized(kind) ? numberOrNull(memory, 1024) : null,
      storageGb: isSized(kind) ? numberOrNull(storage, 1) : null,
    });
    setBusy(false);
    if (!result.ok) return setError(result.error ?? "Something went wrong.");
    onClose();
    onDone(`${name.trim()} was created.`);
  };
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())} title="New resource">
      <form onSubmit={submit} className="space-y-3" noValidate>
        <ErrorAlert message={error} />
        <div className="space-y-1">
          <label htmlFor="resource-kind" className="block text-sm font-medium text-slate-700">
            Kind
          </label>
          <select id="resource-kind" value={kind} onChange={(e) => setKind(e.target.value as ResourceKindName)} className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
            {RESOURCE_KINDS.map((value) => (
              <option key={value} value={value}>
                {KIND_LABELS[value].one}
              </option>
            ))}
          </select>
        </div>
        <Field id="resource-name" label="Name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoComplete="off" />
        {kind === "workspace" ? (
          <div className="space-y-1">
            <label htmlFor="resource-project" className="block text-sm font-medium text-slate-700">
              Project
            </label>
            <select id="resource-project" value={parentId} onChange={(e) => setParentId(e.target.value)} className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
              {projects.map((project) => (
                <option key={project.id} value={project.id}>
                  {project.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="space-y-1">
          <label htmlFor="resource-team" className="block text-sm font-medium text-slate-700">
            Team (its quotas apply)
          </label>
          <select id="resource-team" value={teamId} onChange={(e) => setTeamId(e.target.value)} className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
            <option value="">No team</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </div>
        {isSized(kind) ? (
          <div className="grid grid-cols-3 gap-2">
            <Field id="resource-cpu" label="CPU (cores)" inputMode="decimal" value={cpu} onChange={(e) => setCpu(e.target.value)} />
            <Field id="resource-memory" label="Memory (GiB)" inputMode="decimal" value={memory} onChange={(e) => setMemory(e.target.value)} />
            <Field id="resource-storage" label="Storage (GiB)" inputMode="numeric" value={storage} onChange={(e) => setStorage(e.target.value)} />
          </div>
        ) : null}
        {kind === "data_source" ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={allUsers} onChange={(e) => setAllUsers(e.target.checked)} /> Open to all users (to view)
          </label>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" busy={busy}>
            Create
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ShareDialog({ item, teams, people, onClose, onDone }: { item: ResourceItem; teams: Choice[]; people: Choice[]; onClose: () => void; onDone: (text: string) => void }) {
  const [to, setTo] = useState(teams[0] ? `team:${teams[0].id}` : people[0] ? `user:${people[0].id}` : "");
  const [level, setLevel] = useState<"view" | "edit">("view");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameOf = (value: string) => (value.startsWith("team:") ? `the ${teams.find((t) => `team:${t.id}` === value)?.name} team` : people.find((p) => `user:${p.id}` === value)?.name);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const [type, id] = to.split(":");
    const result = await shareResource({ resourceId: item.id, with: type === "team" ? { teamId: id } : { userId: id }, level });
    setBusy(false);
    if (!result.ok) return setError(result.error ?? "Something went wrong.");
    onClose();
    onDone(`${item.name} is shared with ${nameOf(to)} to ${level}.`);
  };
  const stop = async (share: Share) => {
    const result = await unshareResource({ resourceId: item.id, shareId: share.id });
    if (!result.ok) return setError(result.error ?? "Something went wrong.");
    onClose();
    onDone(`${item.name} is no longer shared with ${share.name}.`);
  };
  const audience = async (allUsers: boolean) => {
    const result = await setAudience({ resourceId: item.id, allUsers });
    if (!result.ok) return setError(result.error ?? "Something went wrong.");
    onClose();
    onDone(allUsers ? `${item.name} is open to all users.` : `${item.name} is private to its shares.`);
  };
  const own = item.shares.filter((share) => !share.inherited);
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title={`Share ${item.name}`}
      description={item.kind === "project" ? "Shares of a project apply to all its workspaces." : item.kind === "workflow" ? "Viewers of a workflow see its execution log only." : undefined}>
      <div className="space-y-4">
        <ErrorAlert message={error} />
        {item.kind === "data_source" && item.editable ? (
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium text-slate-700">Who may see it</legend>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="audience" checked={!item.allUsers} onChange={() => void audience(false)} /> Private or specific people and teams
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="audience" checked={item.allUsers} onChange={() => void audience(true)} /> All users
            </label>
          </fieldset>
        ) : null}
        {own.length ? (
          <ul aria-label="Current shares" className="space-y-1 text-sm">
            {own.map((share) => (
              <li key={share.id} className="flex items-center justify-between gap-2">
                <span>
                  {share.name} · {share.level === "edit" ? "Edit" : "View"}
                </span>
                <Button type="button" variant="secondary" aria-label={`Remove ${share.name}`} onClick={() => void stop(share)}>
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        ) : null}
        <form onSubmit={submit} className="space-y-3" noValidate>
          <div className="space-y-1">
            <label htmlFor="share-with" className="block text-sm font-medium text-slate-700">
              Share with
            </label>
            <select id="share-with" value={to} onChange={(e) => setTo(e.target.value)} className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
              <optgroup label="Teams">
                {teams.map((team) => (
                  <option key={team.id} value={`team:${team.id}`}>
                    {team.name}
                  </option>
                ))}
              </optgroup>
              <optgroup label="People">
                {people.map((person) => (
                  <option key={person.id} value={`user:${person.id}`}>
                    {person.name}
                  </option>
                ))}
              </optgroup>
            </select>
          </div>
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium text-slate-700">Access</legend>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="level" checked={level === "view"} onChange={() => setLevel("view")} /> View
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="level" checked={level === "edit"} onChange={() => setLevel("edit")} /> Edit
            </label>
          </fieldset>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" busy={busy}>
              Share
            </Button>
          </div>
        </form>
      </div>
    </Dialog>
  );
}
