import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedEmail = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  idempotencyKey: string | null;
  status: number;
  receivedAt: string;
};

export type MockResend = {
  url: string;
  /** Every POST /emails, including the ones this mock failed on purpose. */
  requests: RecordedEmail[];
  /** Messages accepted (2xx), as an inbox would hold them. */
  delivered: () => RecordedEmail[];
  failNext: (count: number, status?: number) => void;
  close: () => Promise<void>;
};

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      try {
        resolve(body ? JSON.parse(body) : {});
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * A local stand-in for api.resend.com that the real Resend SDK talks to (its base URL is
 * configurable). It records each request; tests and e2e specs read the inbox from it.
 *   GET  /__mock/emails?to=…   accepted messages, newest last
 *   POST /__mock/fail?count=N  fail the next N sends with HTTP 500
 */
export async function startMockResend(port = 0): Promise<MockResend> {
  const requests: RecordedEmail[] = [];
  let failures: { remaining: number; status: number } = { remaining: 0, status: 500 };
  let counter = 0;

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.method === "POST" && url.pathname === "/emails") {
        const payload = (await readJson(req)) as { from: string; to: string | string[]; subject: string; text?: string; html?: string };
        if (!req.headers.authorization?.startsWith("Bearer ")) return send(401, { name: "missing_api_key", message: "Missing API key" });
        const failing = failures.remaining > 0;
        if (failing) failures.remaining -= 1;
        const status = failing ? failures.status : 200;
        const id = `mock_${++counter}`;
        requests.push({
          id,
          from: payload.from,
          to: Array.isArray(payload.to) ? payload.to : [payload.to],
          subject: payload.subject,
          text: payload.text,
          html: payload.html,
          idempotencyKey: (req.headers["idempotency-key"] as string | undefined) ?? null,
          status,
          receivedAt: new Date().toISOString(),
        });
        return failing
          ? send(status, { statusCode: status, name: "internal_server_error", message: "Mock failure" })
          : send(200, { id });
      }
      if (req.method === "GET" && url.pathname === "/__mock/emails") {
        const to = url.searchParams.get("to")?.toLowerCase();
        return send(200, accepted().filter((m) => !to || m.to.some((t) => t.toLowerCase() === to)));
      }
      if (req.method === "POST" && url.pathname === "/__mock/fail") {
        failures = { remaining: Number(url.searchParams.get("count") ?? 1), status: Number(url.searchParams.get("status") ?? 500) };
        return send(200, { ok: true });
      }
      send(404, { name: "not_found", message: `No mock for ${req.method} ${url.pathname}` });
    } catch (error) {
      send(400, { name: "validation_error", message: String(error) });
    }
  });

  const accepted = () => requests.filter((r) => r.status < 300);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    delivered: accepted,
    failNext: (count, status = 500) => {
      failures = { remaining: count, status };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// Run directly (Playwright's webServer): `tsx e2e/mock-servers/resend.ts 4010`
if (process.argv[1]?.endsWith("resend.ts")) {
  const port = Number(process.argv[2] ?? 4010);
  startMockResend(port).then((mock) => console.log(`Mock Resend listening on ${mock.url}`));
}
