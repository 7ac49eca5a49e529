import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor, Tx } from "@/db/client";
import { stepUpChallenges } from "@/db/schema";
import { keyedHash, randomDigits, safeEqual, sha256 } from "@/lib/crypto";
import { enqueueEmail } from "@/lib/email";
import { stepUpCodeEmail } from "@/lib/email/templates";
import { refuse } from "@/lib/actions/refusal";
import { issueThisWasntMeLink } from "@/lib/security-notices/links";
import { isWorkstationAddress } from "@/lib/team/workstation-address";
import { describeWait, Throttle } from "./throttle";

// S1 limits.
export const STEP_UP_CODE_TTL_SECONDS = 10 * 60;
export const STEP_UP_MAX_FAILURES = 5;
export const STEP_UP_MAX_CODES = 5;
const newCodeThrottle = new Throttle({ name: "stepup:new-code", points: 5, durationSeconds: 10 * 60 });
// Across challenges: starting actions over cannot buy endless guesses, nor flood an inbox.
export const stepUpLimits = {
  challenges: new Throttle({ name: "stepup:issue", points: 30, durationSeconds: 15 * 60 }),
  wrongCodes: new Throttle({ name: "stepup:wrong", points: 10, durationSeconds: 60 * 60 }),
};

/** What a code is bound to: the action, its target and its exact parameters. */
export type StepUpBinding = { action: string; actionLabel: string; targetId: string; params: unknown };
/** Who asks: the person and the session they ask from (a code works only in that session). */
export type StepUpActor = { id: string; accountId: string; email: string; sessionId: string; ssoManaged: boolean };
export type StepUpFailure = "wrong-code" | "expired" | "used" | "locked" | "mismatch" | "not-found";
export type StepUpVerdict = { ok: true } | { ok: false; reason: StepUpFailure; error: string };

/** The proof a browser sends back; anything else is refused before it reaches the database. */
export const stepUpProofSchema = z.object({ challengeId: z.uuid(), code: z.string().max(64) });
export type StepUpProof = z.infer<typeof stepUpProofSchema>;

/** The answer for a challenge that does not exist for this person and session — or a proof that cannot be one. */
export const NOT_VALID: StepUpVerdict = { ok: false, reason: "not-found", error: "This verification is not valid. Start the action again." };

/** Canonical JSON (sorted keys), so equal parameters always hash alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function stepUpParamsHash(binding: Pick<StepUpBinding, "action" | "targetId" | "params">): string {
  return sha256(canonical([binding.action, binding.targetId, binding.params]));
}

const codeHash = (challengeId: string, code: string) => keyedHash(`step-up:${challengeId}`, code);
const sessionHash = (actor: StepUpActor) => sha256(actor.sessionId);

/**
 * Another session of the same person cannot see or spend the challenge. Rows from before
 * challenges named their session have none and are refused (they expire in 10 minutes).
 */
function askedFromThisSession(row: { sessionHash: string | null }, actor: StepUpActor) {
  return row.sessionHash !== null && safeEqual(row.sessionHash, sessionHash(actor));
}

async function sendCode(tx: Executor, actor: StepUpActor, code: string, actionLabel: string) {
  // O4: a code nobody asked for means someone is in the session: "This wasn't me" ends it.
  // (A shared workstation has no mailbox: enqueueEmail sends it nothing, so it gets no link either.)
  const thisWasntMeLink = isWorkstationAddress(actor.email) ? "" : await issueThisWasntMeLink(tx, actor.id, "step-up-code");
  await enqueueEmail(tx, {
    accountId: actor.accountId,
    to: actor.email,
    kind: "step-up-code",
    ...stepUpCodeEmail({ code, actionLabel, passwordManagedElsewhere: actor.ssoManaged, thisWasntMeLink }),
  });
}

/**
 * First attempt of a sensitive action: nothing runs; a challenge is stored and a code
 * emailed to the acting user (in one transaction).
 */
export async function issueStepUpChallenge(tx: Tx, actor: StepUpActor, binding: StepUpBinding): Promise<{ challengeId: string }> {
  const wrongWait = await stepUpLimits.wrongCodes.blockedFor(tx, actor.id);
  if (wrongWait > 0) refuse(`Too many wrong verification codes. Try again in ${describeWait(wrongWait)}.`);
  const quota = await stepUpLimits.challenges.allow(tx, actor.id);
  if (!quota.allowed) refuse(`Too many verification codes sent. Try again in ${describeWait(quota.retryAfterSeconds)}.`);
  const challengeId = crypto.randomUUID();
  const code = randomDigits(6);
  await tx.insert(stepUpChallenges).values({
    id: challengeId,
    accountId: actor.accountId,
    userId: actor.id,
    action: binding.action,
    targetId: binding.targetId,
    paramsHash: stepUpParamsHash(binding),
    // S1: a new code's email names the action again; only the session that asked can spend it.
    actionLabel: binding.actionLabel,
    sessionHash: sessionHash(actor),
    codeHash: codeHash(challengeId, code),
    expiresAt: sql`now() + make_interval(secs => ${STEP_UP_CODE_TTL_SECONDS})`,
  });
  await sendCode(tx, actor, code, binding.actionLabel);
  return { challengeId };
}

/**
 * Checks a code and, when right, consumes it — inside the caller's transaction, so the
 * action it guards commits with it or not at all. The row lock makes two parallel
 * submissions of one code run the action once. Wrong codes are counted; the caller
 * must commit that count (it returns rather than throws).
 */
export async function consumeStepUpChallenge(
  tx: Tx,
  actor: StepUpActor,
  binding: Pick<StepUpBinding, "action" | "targetId" | "params">,
  proof: StepUpProof,
): Promise<StepUpVerdict> {
  const [row] = await tx
    .select({
      id: stepUpChallenges.id,
      action: stepUpChallenges.action,
      targetId: stepUpChallenges.targetId,
      paramsHash: stepUpChallenges.paramsHash,
      sessionHash: stepUpChallenges.sessionHash,
      codeHash: stepUpChallenges.codeHash,
      failedAttempts: stepUpChallenges.failedAttempts,
      consumedAt: stepUpChallenges.consumedAt,
      expired: sql<boolean>`${stepUpChallenges.expiresAt} <= now()`,
    })
    .from(stepUpChallenges)
    .where(and(eq(stepUpChallenges.id, proof.challengeId), eq(stepUpChallenges.userId, actor.id)))
    .for("update");

  if (!row || !askedFromThisSession(row, actor)) return NOT_VALID;
  if (row.consumedAt) return { ok: false, reason: "used", error: "This code has already been used. Start the action again." };
  if (row.failedAttempts >= STEP_UP_MAX_FAILURES) {
    return { ok: false, reason: "locked", error: "Too many wrong codes. Cancel and start the action again." };
  }
  // Counted before the code is checked, so parallel attempts cannot slip past the limit;
  // an expired or right code gives the attempt back.
  const quota = await stepUpLimits.wrongCodes.allow(tx, actor.id);
  if (!quota.allowed) return { ok: false, reason: "locked", error: `Too many wrong verification codes. Try again in ${describeWait(quota.retryAfterSeconds)}.` };

  const fail = async (reason: StepUpFailure, message: string): Promise<StepUpVerdict> => {
    const failed = row.failedAttempts + 1;
    await tx.update(stepUpChallenges).set({ failedAttempts: failed }).where(eq(stepUpChallenges.id, row.id));
    const left = STEP_UP_MAX_FAILURES - failed;
    if (left <= 0) return { ok: false, reason: "locked", error: "Too many wrong codes. Cancel and start the action again." };
    return { ok: false, reason, error: `${message} ${left} ${left === 1 ? "try" : "tries"} left.` };
  };

  // S1 (ASVS 6.6.2): a code works only for the action, target and parameters it was issued for.
  if (row.action !== binding.action || row.targetId !== binding.targetId || !safeEqual(row.paramsHash, stepUpParamsHash(binding))) {
    return fail("mismatch", "This code was issued for a different action.");
  }
  if (row.expired) {
    await stepUpLimits.wrongCodes.refund(tx, actor.id);
    return { ok: false, reason: "expired", error: "This code has expired. Send a new code." };
  }
  const wellFormed = /^\d{6}$/.test(proof.code);
  if (!wellFormed || !safeEqual(codeHash(row.id, proof.code), row.codeHash)) {
    return fail("wrong-code", wellFormed ? "That code is not right." : "Enter the 6-digit code from the email.");
  }
  await stepUpLimits.wrongCodes.refund(tx, actor.id);
  await tx.update(stepUpChallenges).set({ consumedAt: sql`now()` }).where(eq(stepUpChallenges.id, row.id));
  return { ok: true };
}

export type NewCodeResult = { ok: true } | { ok: false; error: string };

/** "Send a new code": replaces the code of a live challenge without redoing the action. */
export async function sendNewStepUpCode(tx: Tx, actor: StepUpActor, challengeId: string): Promise<NewCodeResult> {
  const [row] = await tx
    .select()
    .from(stepUpChallenges)
    .where(and(eq(stepUpChallenges.id, challengeId), eq(stepUpChallenges.userId, actor.id)))
    .for("update");
  if (!row || !askedFromThisSession(row, actor) || !row.actionLabel || row.consumedAt) return { ok: false, error: "This verification has ended. Start the action again." };
  if (row.failedAttempts >= STEP_UP_MAX_FAILURES) return { ok: false, error: "Too many wrong codes. Cancel and start the action again." };
  if (row.codesSent >= STEP_UP_MAX_CODES) return { ok: false, error: "No more codes can be sent for this action. Cancel and start again." };
  // Counted atomically, so parallel requests cannot slip past the limit.
  const quota = await newCodeThrottle.allow(tx, actor.id);
  if (!quota.allowed) return { ok: false, error: `Too many codes requested. Try again in ${describeWait(quota.retryAfterSeconds)}.` };
  const code = randomDigits(6);
  await tx
    .update(stepUpChallenges)
    .set({
      codeHash: codeHash(row.id, code),
      expiresAt: sql`now() + make_interval(secs => ${STEP_UP_CODE_TTL_SECONDS})`,
      codesSent: row.codesSent + 1,
    })
    .where(eq(stepUpChallenges.id, row.id));
  // The same wording as the first code's email ("invite x@y.z"), stored when the challenge began.
  await sendCode(tx, actor, code, row.actionLabel);
  return { ok: true };
}
