"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { archiveTeam as archive, changeTeamMembers, createTeam as create, deleteTeam as remove, editTeam } from "@/lib/resources/teams";
import { teamIdField, teamInput } from "@/lib/resources/schemas";

// A6: teams. Creating, editing, archiving and deleting need "Manage teams"; a team's lead
// may change its members (lib/resources/teams.ts asks can() with the team as its scope).
export const createTeam = defineAction({
  name: "team.create",
  permission: "teams.manage",
  revalidate: "/teams",
  input: teamInput,
  run: (ctx, input) => create(ctx.tx, ctx.actor, input),
});

export const updateTeam = defineAction({
  name: "team.update",
  permission: "teams.manage",
  revalidate: "/teams",
  input: teamInput.extend({ teamId: teamIdField }),
  run: (ctx, input) => editTeam(ctx.tx, ctx.actor, input),
});

export const setTeamMembers = defineAction({
  name: "team.members",
  revalidate: "/teams",
  input: z.object({ teamId: teamIdField, memberIds: z.array(z.uuid({ error: "Unknown member." })).max(1000) }),
  run: (ctx, input) => changeTeamMembers(ctx.tx, ctx.actor, input),
});

export const archiveTeam = defineAction({
  name: "team.archive",
  permission: "teams.manage",
  revalidate: "/teams",
  input: z.object({ teamId: teamIdField, archived: z.boolean() }),
  run: (ctx, input) => archive(ctx.tx, ctx.actor, input),
});

export const deleteTeam = defineAction({
  name: "team.delete",
  permission: "teams.manage",
  revalidate: "/teams",
  input: z.object({ teamId: teamIdField, shares: z.literal("remove").optional() }),
  run: (ctx, input) => remove(ctx.tx, ctx.actor, input),
});
