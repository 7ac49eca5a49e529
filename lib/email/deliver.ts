import { Resend } from "resend";
import { getDb } from "@/db/client";
import { config } from "@/lib/config";
import { claimDueEmails, markFailed, markSent, readBody } from "./outbox";

export const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 120;

/** Exponential back-off: 2 s, 4 s, 8 s … capped at 10 minutes. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(2 ** attempt, 600);
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
export function deliverDueEmails(): Promise<number> {
  running ??= deliverLoop().finally(() => {
    running = undefined;
  });
  return running;
}

async function deliverLoop(): Promise<number> {
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
      let providerId: string | null = null;
      try {
        // The outbox ID is the idempotency key: a retry after a lost response is not a
        // second email.
        const result = await sender.emails.send(
          {
            from: config().email.from,
            to: message.toAddress,
            subject: message.subject,
            text: body.text,
            ...(body.html ? { html: body.html } : {}),
          },
          { idempotencyKey: `outbox-${message.id}` },
        );
        // Resend returns errors instead of throwing them.
        if (result.error) error = `${result.error.name}: ${result.error.message}`;
        else providerId = result.data?.id ?? null;
      } catch (thrown) {
        error = thrown instanceof Error ? thrown.message : String(thrown);
      }
      if (error === null) {
        await markSent(db, message.id, providerId);
        sent += 1;
      } else {
        const finalAttempt = message.attempts >= MAX_ATTEMPTS;
        await markFailed(db, message.id, error.slice(0, 500), finalAttempt ? null : retryDelaySeconds(message.attempts));
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
