import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type PostedMessage = { channel: string; thread_ts?: string; text: string };

/**
 * A local stand-in for slack.com/api that @slack/web-api talks to (its slackApiUrl is
 * configurable): users.info answers from a directory, chat.postMessage is recorded.
 */
export async function startMockSlack(directory: Record<string, string>) {
  const posted: PostedMessage[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const method = (req.url ?? "").replace(/^\/+/, "").split("?")[0];
      const type = req.headers["content-type"] ?? "";
      const params: Record<string, string> = type.includes("json") ? JSON.parse(body || "{}") : Object.fromEntries(new URLSearchParams(body));
      const send = (payload: unknown) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      if (method === "users.info") {
        const email = directory[params.user];
        return send(email ? { ok: true, user: { id: params.user, profile: { email } } } : { ok: false, error: "user_not_found" });
      }
      if (method === "chat.postMessage") {
        posted.push({ channel: params.channel, thread_ts: params.thread_ts, text: params.text });
        return send({ ok: true, channel: params.channel, ts: `${Date.now() / 1000}` });
      }
      send({ ok: false, error: "unknown_method" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    posted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
