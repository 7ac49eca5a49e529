"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { startReview as start } from "@/lib/reviews/campaigns";
import { checkDecision, decideReviewLine as decide } from "@/lib/reviews/decisions";
import { DEFAULT_INACTIVE_DAYS } from "@/lib/reviews/lines";
import { REVIEW_EVERY_MONTHS_MAX, setReviewSchedule as setSchedule } from "@/lib/reviews/schedule";
import { roleListField } from "@/lib/team/schemas";

// O3: access reviews. Decisions other than Keep bind the console's own member operations
// (lib/team), so they ask for the same step-up and leave the same audit events.
const lineId = z.uuid({ error: "Choose a line of the review." });

export const startReview = defineAction({
  name: "review.start",
  permission: "reviews.manage",
  revalidate: "/reviews",
  input: z.object({
    name: z.string({ error: "Name the review." }).trim().min(1, "Name the review, e.g. Q4 2026.").max(120, "At most 120 characters."),
    inactiveDays: z.coerce.number({ error: "Enter a number of days." }).int("Enter whole days.").min(1, "At least 1 day.").max(3650, "At most 3650 days.").default(DEFAULT_INACTIVE_DAYS),
  }),
  run: (ctx, input) => start(ctx.tx, ctx.actor, input),
});

export const keepReviewLine = defineAction({
  name: "review.keep",
  permission: "reviews.manage",
  input: z.object({ lineId }),
  check: async (ctx, input) => void (await checkDecision(ctx.db, ctx.user, { ...input, decision: "keep" })),
  run: (ctx, input) => decide(ctx.tx, ctx.actor, { ...input, decision: "keep" }),
});

// S1: Disable, Change role and Revoke change someone's access: a code, worded with who and what.
export const decideReviewLine = defineAction({
  name: "review.decide",
  permission: "reviews.manage",
  input: z.object({ lineId, decision: z.enum(["disable", "change_role", "revoke"], { error: "Choose a decision." }), roles: roleListField.optional() }),
  // Checked before the code is sent (the operation's own checks), and worded from the line.
  stepUp: async (input, ctx) => ({ targetId: input.lineId, label: (await checkDecision(ctx.db, ctx.user, input)).label }),
  run: (ctx, input) => decide(ctx.tx, ctx.actor, input),
});

export const setReviewSchedule = defineAction({
  name: "review.schedule",
  permission: "reviews.manage",
  revalidate: "/reviews",
  input: z.object({
    everyMonths: z.coerce.number({ error: "Enter a number of months." }).int("Enter whole months.").min(1, "At least every month.").max(REVIEW_EVERY_MONTHS_MAX, `At most every ${REVIEW_EVERY_MONTHS_MAX} months.`),
  }),
  run: (ctx, input) => setSchedule(ctx.tx, ctx.actor, input),
});
