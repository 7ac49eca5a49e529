"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { archiveTeam, createTeam, deleteTeam, setTeamMembers, updateTeam } from "@/app/(console)/teams/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Field } from "@/components/ui/field";
import { QUOTAS } from "@/lib/resources/quotas";
import type { Quotas, TeamUsage } from "@/db/queries/resources";

type Choice = { id: string; name: string };
export type TeamItem = Quotas & {
  id: string;
  name: string;
  description: string;
  leadId: string | null;
  leadName: string | null;
  archived: boolean;
  members: { id: string; name: string; email: string }[];
  usage: TeamUsage;
  shares: number;
};

/** How a quota is typed in the form: cores and GiB for CPU and memory, as stored otherwise. */
const FORM_SCALE: Record<keyof Quotas, { label: string; scale: number }> = {
  maxCpuMillis: { label: "Max CPU (cores)", scale: 1000 },
  maxMemoryMb: { label: "Max memory (GiB)", scale: 1024 },
  maxStorageGb: { label: "Max storage (GiB)", scale: 1 },
  maxApps: { label: "Max apps", scale: 1 },
  maxWorkflows: { label: "Max workflows", scale: 1 },
  maxWorkspaces: { label: "Max workspaces", scale: 1 },
};

type Editing = { kind: "create" } | { kind: "edit"; team: TeamItem } | { kind: "members"; team: TeamItem };

/** A6: the teams, each with its members, lead, quotas as usage bars, and what may be done to it. */
export function TeamsView({ teams, people, managesTeams }: { teams: TeamItem[]; people: Choice[]; managesTeams: boolean }) {
  const router = useRouter();
  const [message, setMessage] = useState("");
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<TeamItem | null>(null);
  const [error, setError] = useState<string | null>(null);
  const done = (text: string) => {
    setMessage(text);
    setError(null);
    router.refresh();
  };
  const archive = async (team: TeamItem) => {
    const result = await archiveTeam({ teamId: team.id, archived: !team.archived });
    if (!result.ok) return setError(result.error ?? "Something went wrong.");
    done(team.archived ? `${team.name} was restored.` : `${team.name} was archived.`);
  };
  return (
    <div className="space-y-4">
      <p role="status" aria-label="Teams messages" className="min-h-5 text-sm text-slate-700">
        {message}
      </p>
      <ErrorAlert message={error} />
      {managesTeams ? (
        <Button type="button" onClick={() => setEditing({ kind: "create" })}>
          New team
        </Button>
      ) : null}
      {teams.length === 0 ? <p className="text-sm text-slate-600">No teams yet.</p> : null}
      {teams.map((team) => (
        <section key={team.id} aria-label={team.name} className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
          <div className="flex flex-wrap items-start justify-between gap-2">
            <div>
              <h2 className="text-lg font-medium">
                {team.name} {team.archived ? <Badge tone="slate">Archived</Badge> : null}
              </h2>
              {team.description ? <p className="text-sm text-slate-600">{team.description}</p> : null}
              <p className="text-sm">Lead: {team.leadName ?? "none"}</p>
            </div>
            <div className="flex flex-wrap gap-2">
              {managesTeams ? (
                <>
                  <Button type="button" variant="secondary" aria-label={`Edit ${team.name}`} onClick={() => setEditing({ kind: "edit", team })}>
                    Edit
                  </Button>
                  <Button type="button" variant="secondary" aria-label={`${team.archived ? "Restore" : "Archive"} ${team.name}`} onClick={() => void archive(team)}>
                    {team.archived ? "Restore" : "Archive"}
                  </Button>
                  <Button type="button" variant="danger" aria-label={`Delete ${team.name}`} onClick={() => setDeleting(team)}>
                    Delete
                  </Button>
                </>
              ) : (
                <Button type="button" variant="secondary" aria-label={`Edit members of ${team.name}`} onClick={() => setEditing({ kind: "members", team })}>
                  Edit members
                </Button>
              )}
            </div>
          </div>
          <div>
            <h3 className="text-sm font-medium">Members</h3>
            <ul aria-label={`Members of ${team.name}`} className="text-sm">
              {team.members.map((member) => (
                <li key={member.id}>{member.name || member.email}</li>
              ))}
            </ul>
          </div>
          <UsageBars team={team} />
        </section>
      ))}
      {editing ? <TeamDialog key={editing.kind === "create" ? "new" : editing.team.id} editing={editing} people={people} onClose={() => setEditing(null)} onDone={done} /> : null}
      {deleting ? <DeleteDialog team={deleting} onClose={() => setDeleting(null)} onDone={done} /> : null}
    </div>
  );
}

function UsageBars({ team }: { team: TeamItem }) {
  const set = QUOTAS.filter((quota) => team[quota.key] !== null);
  if (!set.length) return <p className="text-sm text-slate-600">No quotas.</p>;
  return (
    <div>
      <h3 className="text-sm font-medium">Quotas</h3>
      <ul className="space-y-2">
        {set.map((quota) => {
          const limit = team[quota.key]!;
          const used = team.usage[quota.usage];
          const text = `${quota.format(used)} of ${quota.format(limit)}`;
          return (
            <li key={quota.key} className="text-sm">
              <span className="capitalize">{quota.label}</span>: {text}
              <div
                role="meter"
                aria-label={`${quota.label[0].toUpperCase()}${quota.label.slice(1)} used (${team.name})`}
                aria-valuemin={0}
                aria-valuemax={limit}
                aria-valuenow={Math.min(used, limit)}
                aria-valuetext={text}
                className="mt-1 h-2 w-full rounded bg-slate-200">
                <div className={`h-2 rounded ${used >= limit ? "bg-red-600" : "bg-brand-600"}`} style={{ width: `${limit ? Math.min(100, (used / limit) * 100) : 100}%` }} />
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function TeamDialog({ editing, people, onClose, onDone }: { editing: Editing; people: Choice[]; onClose: () => void; onDone: (text: string) => void }) {
  const team = editing.kind === "create" ? null : editing.team;
  const [name, setName] = useState(team?.name ?? "");
  const [description, setDescription] = useState(team?.description ?? "");
  const [leadId, setLeadId] = useState(team?.leadId ?? "");
  const [memberIds, setMemberIds] = useState<string[]>(team?.members.map((member) => member.id) ?? []);
  const [quotas, setQuotas] = useState<Record<keyof Quotas, string>>(() => {
    const entries = Object.entries(FORM_SCALE).map(([key, { scale }]) => {
      const value = team?.[key as keyof Quotas];
      return [key, value === null || value === undefined ? "" : String(value / scale)];
    });
    return Object.fromEntries(entries) as Record<keyof Quotas, string>;
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const membersOnly = editing.kind === "members";
  const toggle = (id: string, on: boolean) => setMemberIds((ids) => (on ? [...ids, id] : ids.filter((other) => other !== id)));
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const scaled = Object.fromEntries(Object.entries(quotas).map(([key, text]) => [key, text.trim() === "" ? null : Math.round(Number(text) * FORM_SCALE[key as keyof Quotas].scale)])) as Quotas;
    const input = { name, description, leadId: leadId || null, memberIds, ...scaled };
    const result = membersOnly ? await setTeamMembers({ teamId: team!.id, memberIds }) : team ? await updateTeam({ ...input, teamId: team.id }) : await createTeam(input);
    setBusy(false);
    if (!result.ok) return setError(result.error ?? "Something went wrong.");
    onClose();
    onDone(team ? `${name.trim()} was saved.` : `${name.trim()} was created.`);
  };
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())} title={editing.kind === "create" ? "New team" : membersOnly ? `Members of ${team!.name}` : `Edit ${team!.name}`}>
      <form onSubmit={submit} className="max-h-[70vh] space-y-3 overflow-y-auto" noValidate>
        <ErrorAlert message={error} />
        {!membersOnly ? (
          <>
            <Field id="team-name" label="Name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoComplete="off" />
            <Field id="team-description" label="Description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} autoComplete="off" />
            <div className="space-y-1">
              <label htmlFor="team-lead" className="block text-sm font-medium text-slate-700">
                Team lead
              </label>
              <select id="team-lead" value={leadId} onChange={(e) => setLeadId(e.target.value)} className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
                <option value="">No lead</option>
                {people.map((person) => (
                  <option key={person.id} value={person.id}>
                    {person.name}
                  </option>
                ))}
              </select>
            </div>
          </>
        ) : null}
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-700">Members</legend>
          {people.map((person) => (
            <label key={person.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={memberIds.includes(person.id)} onChange={(e) => toggle(person.id, e.target.checked)} /> {person.name}
            </label>
          ))}
        </fieldset>
        {!membersOnly ? (
          <fieldset className="grid grid-cols-2 gap-2">
            <legend className="text-sm font-medium text-slate-700">Quotas (empty: no limit)</legend>
            {(Object.keys(FORM_SCALE) as (keyof Quotas)[]).map((key) => (
              <Field key={key} id={`team-${key}`} label={FORM_SCALE[key].label} inputMode="decimal" value={quotas[key]} onChange={(e) => setQuotas((q) => ({ ...q, [key]: e.target.value }))} />
            ))}
          </fieldset>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" busy={busy}>
            {editing.kind === "create" ? "Create team" : "Save"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteDialog({ team, onClose, onDone }: { team: TeamItem; onClose: () => void; onDone: (text: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    const result = await deleteTeam({ teamId: team.id, shares: team.shares ? "remove" : undefined });
    setBusy(false);
    if (!result.ok) return setError(result.error ?? "Something went wrong.");
    onClose();
    onDone(`${team.name} was deleted.`);
  };
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title={`Delete ${team.name}?`}
      description={
        team.shares
          ? `${team.name} holds ${team.shares} ${team.shares === 1 ? "share" : "shares"}: its members lose what was shared with the team. The resources stay with their owners.`
          : "Its members keep their own resources."
      }>
      <div className="space-y-3">
        <ErrorAlert message={error} />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="button" variant="danger" busy={busy} onClick={() => void confirm()}>
            {team.shares ? "Remove its shares and delete" : "Delete team"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
