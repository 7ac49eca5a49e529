import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb, type Db, type Tx } from "@/db/client";
import { recordAudit, type AuditInput } from "@/lib/audit";
import { requireUser, type CurrentUser } from "@/lib/auth/session";
import { consumeStepUpChallenge, issueStepUpChallenge, NOT_VALID, stepUpProofSchema, type StepUpFailure, type StepUpProof } from "@/lib/auth/step-up";
import { kickEmailDelivery } from "@/lib/email";
import type { Actor } from "./actor";
import { ActionRefusal, type RefusalCode } from "./refusal";
import type { Permission } from "@/lib/auth/permissions";
import { refusalFor } from "@/lib/auth/principal";
import { requestContext, type RequestContext } from "@/lib/request";
import { isConnectionError } from "@/lib/db-errors";

/** What "Verify it's you" shows: where the code went and what it will confirm ("disable Sam Lee"). */
export type StepUpPrompt = { challengeId: string; sentTo: string; action: string; error?: string; reason?: StepUpFailure };

/** Results, not throws, across the wire (STYLE 6). */
export type ActionResult<T> =
  | { ok: true; data: T; stepUp?: undefined; error?: undefined }
  | { ok: false; error: string; code?: RefusalCode; fieldErrors?: Record<string, string>; stepUp?: undefined }
  | { ok: false; stepUp: StepUpPrompt; error?: string };

export { ActionRefusal, refuse } from "./refusal";

/** `actor` is the principal and where the request came from, as every lib/<concept> operation takes it. */
export type ActionContext = { user: CurrentUser; db: Db; request: RequestContext; actor: Actor };
export type AuditEntry = Pick<AuditInput, "action" | "target" | "details">;

type Definition<S extends z.ZodType, T> = {
  /** Also the audit action and the step-up binding, e.g. "member.disable". */
  name: string;
  input: S;
  /** What the principal's roles must grant (lib/auth/permissions.ts); absent: any signed-in person, for their own things. */
  permission?: Permission;
  /** Only the 2FA enrolment itself may run while enforcement requires 2FA (P4). */
  allowDuringTwoFactorSetup?: boolean;
  /** The page whose data the change affects. */
  revalidate?: string;
  /** Present on sensitive actions (S1): what the emailed code is bound to, and its wording for people. */
  stepUp?: (input: z.output<S>, ctx: ActionContext) => { targetId: string; label: string } | Promise<{ targetId: string; label: string }>;
  /** Checks before a code is sent, so nobody verifies an action that cannot run. */
  check?: (ctx: ActionContext, input: z.output<S>) => Promise<void>;
  run: (ctx: ActionContext & { tx: Tx; audit: (entry: AuditEntry) => Promise<void> }, input: z.output<S>) => Promise<T>;
};

const masked = (email: string) => email.replace(/^(.).*(@.*)$/, (_, first: string, domain: string) => `${first}•••${domain}`);

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[String(issue.path[0] ?? "form")] ??= issue.message;
  return fields;
}

const definitions = new WeakMap<object, { name: string; input: z.ZodType; stepUp: boolean }>();

/** What an action was defined with (its name and input schema), for tests that try every door. */
export function actionDefinition(action: object) {
  return definitions.get(action);
}

/**
 * The one way to mutate (STYLE 1): parse input, load the principal, ask `can` for the
 * permission, run step-up for sensitive actions, then run the change and its audit events in
 * one transaction, and deliver queued email after commit.
 */
export function defineAction<S extends z.ZodType, T>(def: Definition<S, T>) {
  async function action(rawInput: unknown, proof?: StepUpProof): Promise<ActionResult<T>> {
    // A signed-out or disabled user is sent to sign-in (the redirect reaches the browser).
    const user = await requireUser({ allowTwoFactorSetup: def.allowDuringTwoFactorSetup });
    const refusal = def.permission && refusalFor(user, def.permission);
    if (refusal) return { ok: false, error: refusal.message, code: refusal.code };
    const parsed = def.input.safeParse(rawInput);
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error);
      return { ok: false, error: Object.values(fieldErrors)[0] ?? "Check the form.", fieldErrors };
    }
    const input = parsed.data;
    const request = await requestContext();
    const ctx: ActionContext = { user, db: await getDb(), request, actor: { principal: user, request } };
    const actor = { id: user.id, accountId: user.accountId, email: user.email, sessionId: user.sessionId, ssoManaged: user.ssoManaged };

    try {
      await def.check?.(ctx, input);
      const bound = def.stepUp ? await def.stepUp(input, ctx) : undefined;
      const stepUpBinding = bound && { action: def.name, actionLabel: bound.label, targetId: bound.targetId, params: input };
      if (stepUpBinding && !proof) {
        const { challengeId } = await ctx.db.transaction((tx) => issueStepUpChallenge(tx, actor, stepUpBinding));
        kickEmailDelivery();
        return { ok: false, stepUp: { challengeId, sentTo: masked(user.email), action: stepUpBinding.actionLabel } };
      }
      // The proof is a public endpoint's input too: one of the wrong shape (a challenge ID
      // that is no UUID, a code that is no string) reads as an invalid code and never reaches a query.
      const checkedProof = stepUpBinding ? stepUpProofSchema.safeParse(proof) : undefined;
      const outcome = await ctx.db.transaction(async (tx) => {
        const audit = (entry: AuditEntry) =>
          recordAudit(tx, { ...entry, accountId: user.accountId, actorId: user.id, context: ctx.request });
        if (stepUpBinding && checkedProof) {
          const verdict = checkedProof.success ? await consumeStepUpChallenge(tx, actor, stepUpBinding, checkedProof.data) : NOT_VALID;
          if (!verdict.ok) {
            // Committed on purpose: the failed attempt counts and is audited (O1).
            await audit({ action: "step_up.failed", target: { type: "action", id: def.name }, details: { reason: verdict.reason, targetId: stepUpBinding.targetId } });
            return { verdict } as const;
          }
        }
        return { data: await def.run({ ...ctx, tx, audit }, input) } as const;
      });
      if ("verdict" in outcome) {
        const verdict = outcome.verdict as Extract<typeof outcome.verdict, { ok: false }>;
        return {
          ok: false,
          error: verdict.error,
          stepUp: { challengeId: checkedProof?.data?.challengeId ?? "", sentTo: masked(user.email), action: stepUpBinding!.actionLabel, error: verdict.error, reason: verdict.reason },
        };
      }
      kickEmailDelivery();
      if (def.revalidate) revalidatePath(def.revalidate);
      return { ok: true, data: outcome.data };
    } catch (error) {
      if (error instanceof ActionRefusal) return { ok: false, error: error.message, code: error.code };
      // Every write of the action, its audit record and its emails are one transaction: a
      // failure anywhere rolled all of it back (a step-up code with it, unspent).
      const requestId = randomUUID().slice(0, 8);
      console.error(`[action ${def.name}] request ${requestId} failed`, error);
      const what = isConnectionError(error) ? "The connection to the database was lost" : "Something went wrong";
      return { ok: false, error: `${what}, so nothing was changed. Try again (request ${requestId}).` };
    }
  }
  definitions.set(action, { name: def.name, input: def.input, stepUp: Boolean(def.stepUp) });
  return action;
}
