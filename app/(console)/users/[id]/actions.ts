"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { setMemberAppRoles, subscribeMember, unsubscribeMember } from "@/lib/apps/access";
import { checkEndMemberSessions, endMemberSessions as endSessionsOf } from "@/lib/sessions";
import { visibleMemberOrRefuse } from "@/lib/team/members";
import { memberIdField } from "@/lib/team/schemas";

// A8: application access of one member (audited; the member page binds these).
const appKey = z.string({ error: "Choose an application." }).min(1, "Choose an application.").max(64);

export const subscribeToApp = defineAction({
  name: "app.subscribe",
  permission: "apps.manage",
  input: z.object({ userId: memberIdField, appKey }),
  run: (ctx, input) => subscribeMember(ctx.tx, ctx.actor, input),
});

export const unsubscribeFromApp = defineAction({
  name: "app.unsubscribe",
  permission: "apps.manage",
  input: z.object({ userId: memberIdField, appKey }),
  run: (ctx, input) => unsubscribeMember(ctx.tx, ctx.actor, input),
});

export const setAppRoles = defineAction({
  name: "app.roles",
  permission: "apps.manage",
  input: z.object({ userId: memberIdField, appKey, roles: z.array(z.string().max(64)).max(20) }),
  run: (ctx, input) => setMemberAppRoles(ctx.tx, ctx.actor, input),
});

// B2: an administrator ends every session of a member (step-up; the member is emailed).
export const endMemberSessions = defineAction({
  name: "member.end_sessions",
  permission: "sessions.manage",
  revalidate: "/users",
  input: z.object({ userId: memberIdField }),
  stepUp: async (input, ctx) => {
    const member = await visibleMemberOrRefuse(ctx.db, ctx.user, input.userId);
    return { targetId: member.id, label: `end every session of ${member.name || member.email}` };
  },
  check: (ctx, input) => checkEndMemberSessions(ctx.db, ctx.user, input.userId),
  run: (ctx, input) => endSessionsOf(ctx.tx, ctx.actor, input),
});
