import { Resend } from "resend";
import { getDb } from "@/db/client";
import { config } from "@/lib/config";
import { claimDueEmails, markFailed, markSent, readBody } from "./outbox";

export const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 120;
/** A provider that does not answer is given up on well inside the lease, and retried. */
export const SEND_TIMEOUT_MS = 15_000;

/** Exponential back-off: 2 s, 4 s, 8 s … capped at 10 minutes. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(2 ** attempt, 600);
}

/** Someone is waiting at "Verify it's you" for these: retried every few seconds, not on the growing schedule. */
const PROMPT_KINDS = new Set(["step-up-code"]);

/**
 * When to try a failed message again: the back-off for its kind, but never sooner than the
 * provider asked (a 429's Retry-After), so a rate limit is not made worse.
 */
export function nextRetrySeconds(kind: string, attempt: number, retryAfterSeconds: number | null): number {
  const backOff = PROMPT_KINDS.has(kind) ? Math.min(2 * attempt, 10) : retryDelaySeconds(attempt);
  return Math.min(Math.max(backOff, retryAfterSeconds ?? 0), 3600);
}

/** A Retry-After header: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, at = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - at) / 1000));
}

let client: Resend | undefined;
function resend(): Resend | undefined {
  const { resendApiKey, resendBaseUrl } = config().email;
  if (!resendApiKey) return undefined;
  client ??= new Resend(resendApiKey, resendBaseUrl ? { baseUrl: resendBaseUrl } : undefined);
  return client;
}

let running: Promise<number> | undefined;

/**
 * Sends every due message once. Concurrent calls in one process share a run; other
 * processes skip rows this one has claimed. Returns how many were sent.
 */
export function deliverDueEmails(options: { timeoutMs?: number } = {}): Promise<number> {
  running ??= deliverLoop(options.timeoutMs ?? SEND_TIMEOUT_MS).finally(() => {
    running = undefined;
  });
  return running;
}

async function deliverLoop(timeoutMs: number): Promise<number> {
  const sender = resend();
  if (!sender) return 0;
  const db = await getDb();
  let sent = 0;
  for (;;) {
    const batch = await claimDueEmails(db, 20, LEASE_SECONDS);
    if (batch.length === 0) return sent;
    for (const message of batch) {
      const body = readBody(message);
      if (!body) {
        await markFailed(db, message.id, "message body missing", null);
        continue;
      }
      let error: string | null = null;
      let retryAfter: number | null = null;
      let providerId: string | null = null;
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        // The outbox ID is the idempotency key: a retry after a lost response (a timeout, a
        // console killed before it noted the send) is answered by Resend with the first
        // send's ID and not delivered twice.
        const result = await sender.emails.send(
          {
            from: config().email.from,
            to: message.toAddress,
            subject: message.subject,
            text: body.text,
            ...(body.html ? { html: body.html } : {}),
          },
          { idempotencyKey: `outbox-${message.id}`, signal },
        );
        // Resend returns errors instead of throwing them.
        if (signal.aborted) error = `No answer from the provider within ${timeoutMs / 1000} s`;
        else if (result.error) {
          const status = (result.error as { statusCode?: number | null }).statusCode;
          retryAfter = parseRetryAfter(result.headers?.["retry-after"]);
          error = `${result.error.name}: ${result.error.message}${status ? ` (HTTP ${status}${retryAfter !== null ? `, retry after ${retryAfter} s` : ""})` : ""}`;
        } else providerId = result.data?.id ?? null;
      } catch (thrown) {
        error = signal.aborted ? `No answer from the provider within ${timeoutMs / 1000} s` : thrown instanceof Error ? thrown.message : String(thrown);
      }
      if (error === null) {
        await markSent(db, message.id, providerId);
        sent += 1;
      } else {
        // Never dropped silently: after the last attempt it is "failed", with why, on the delivery page.
        const finalAttempt = message.attempts >= MAX_ATTEMPTS;
        await markFailed(db, message.id, error.slice(0, 500), finalAttempt ? null : nextRetrySeconds(message.kind, message.attempts, retryAfter));
        console.warn(`[email] delivery of ${message.id} failed (attempt ${message.attempts}): ${error.slice(0, 200)}`);
      }
    }
  }
}

/** Delivers after commit without making the caller wait; failures are retried later. */
export function kickEmailDelivery() {
  void deliverDueEmails().catch((error) => console.error("[email] delivery run failed", error));
}

let timer: NodeJS.Timeout | undefined;

/** Retries pending messages in the background (started once per server process). */
export function startEmailWorker(intervalMs = 2000) {
  if (timer || !config().email.resendApiKey) return;
  timer = setInterval(kickEmailDelivery, intervalMs);
  timer.unref();
}
