import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listPeopleChoices, listTeams } from "@/db/queries/resources";
import { TeamsView, type TeamItem } from "@/components/teams/teams-view";
import { can, leadsATeam, mayNotSee } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Teams" };

/**
 * A6 (Settings → Teams): teams with their members, lead and quotas, and usage against each
 * quota. Whoever manages teams sees and changes them all; a team's lead sees the teams they
 * lead and changes their members.
 */
export default async function TeamsPage() {
  const user = await requireUser();
  const managesTeams = can(user, "teams.manage");
  if (!managesTeams && !leadsATeam(user)) notFound();
  const db = await getDb();
  const teams = (await listTeams(db, user.accountId)).filter((team) => can(user, "team.manage_members", { kind: "team", accountId: team.accountId, id: team.id, leadId: team.leadId }));
  const people = (await listPeopleChoices(db, user.accountId)).filter((person) => !mayNotSee(user, person.email) && person.status === "active");
  const items: TeamItem[] = teams.map((team) => ({ ...team, archived: Boolean(team.archivedAt), members: team.members.filter((member) => !mayNotSee(user, member.email)) }));
  return (
    <section className="max-w-4xl space-y-6">
      <div className="space-y-1">
        <p className="text-sm text-slate-600">Settings</p>
        <h1 className="text-2xl font-semibold">Teams</h1>
        <p className="text-sm text-slate-600">
          Share resources with a team to view or edit; its quotas cap the CPU, memory and storage of the apps and workflows in it, and how many apps,
          workflows and workspaces it holds. A team&apos;s lead manages its members.
        </p>
      </div>
      <TeamsView teams={items} people={people.map((person) => ({ id: person.id, name: person.name || person.email }))} managesTeams={managesTeams} />
    </section>
  );
}
