import { z } from "zod";
import { getDb } from "@/db/client";
import { config } from "@/lib/config";
import { handleMention } from "@/lib/slack/mentions";
import { firstReceiptOf } from "@/lib/slack/replay";
import { verifySlackSignature } from "@/lib/slack/signature";

const MAX_BODY_BYTES = 64 * 1024;

const payloadSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("url_verification"), challenge: z.string().max(500) }),
  z.object({
    type: z.literal("event_callback"),
    team_id: z.string().min(1).max(50),
    event: z.object({
      type: z.string().max(100),
      user: z.string().max(50).optional(),
      channel: z.string().max(50).optional(),
      ts: z.string().max(50).optional(),
      thread_ts: z.string().max(50).optional(),
      text: z.string().max(40_000).optional(),
    }),
  }),
]);

const json = (status: number, body: unknown) => Response.json(body, { status });

/** POST /api/slack/events — Slack's Events API, authenticated by its request signature (I1). */
export async function POST(req: Request) {
  const secret = config().slack.signingSecret;
  if (!secret) return json(503, { error: "Slack is not configured on this server." });
  const length = Number(req.headers.get("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) return json(413, { error: "Request too large." });
  const rawBody = await req.text();
  if (rawBody.length > MAX_BODY_BYTES) return json(413, { error: "Request too large." });

  const signature = req.headers.get("x-slack-signature");
  if (!verifySlackSignature({ rawBody, timestamp: req.headers.get("x-slack-request-timestamp"), signature, secret })) {
    return json(401, { error: "Invalid or stale Slack signature." });
  }
  const db = await getDb();
  // A signature is unique to its timestamp and body: seeing it twice means a replay.
  if (!(await firstReceiptOf(db, signature!))) return json(401, { error: "This request was already received." });

  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return json(400, { error: "The body is not valid JSON." });
  }
  const parsed = payloadSchema.safeParse(body);
  if (!parsed.success) return json(400, { error: "Not a Slack event this endpoint understands." });
  const payload = parsed.data;
  if (payload.type === "url_verification") return json(200, { challenge: payload.challenge });

  const { event } = payload;
  if (event.type !== "app_mention") return json(200, { ok: true, ignored: event.type });
  if (!event.user || !event.channel || !event.ts) return json(400, { error: "An app_mention needs user, channel and ts." });
  const outcome = await handleMention(db, { teamId: payload.team_id, userId: event.user, channel: event.channel, ts: event.ts, threadTs: event.thread_ts, text: event.text ?? "" });
  if (outcome === "unknown-team") return json(404, { error: "No account is connected to this Slack workspace." });
  return json(200, { ok: true, outcome });
}
