"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { endOtherOwnSessions, endOwnSession, NO_SUCH_SESSION } from "@/lib/sessions";

// B2: a person ends their own sessions. No step-up (it only removes access), but audited.

export const endSession = defineAction({
  name: "session.end",
  revalidate: "/account/security",
  input: z.object({ handle: z.string({ error: NO_SUCH_SESSION }).regex(/^[0-9a-f]{64}$/, NO_SUCH_SESSION) }),
  run: (ctx, input) => endOwnSession(ctx.tx, ctx.actor, input),
});

export const endOtherSessions = defineAction({
  name: "session.end_others",
  revalidate: "/account/security",
  input: z.object({}),
  run: (ctx) => endOtherOwnSessions(ctx.tx, ctx.actor),
});
