import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedEmail = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  idempotencyKey: string | null;
  /** The HTTP status answered; 0 while a hung request has had no answer (or never will). */
  status: number;
  /** A repeat of an earlier accepted send with the same Idempotency-Key: answered with the first one's ID, not delivered again (as Resend does for 24 hours). */
  replayed: boolean;
  /** The provider took the message (also when its answer was lost). */
  accepted: boolean;
  receivedAt: string;
};

/**
 * What the mock does to the next `count` sends (then it is healthy again):
 *   status      answer with that HTTP status (500 by default)
 *   rate-limit  answer 429 with a Retry-After of `retryAfter` seconds
 *   hang        never answer (the sender must time out, or it dies waiting); with `accept`
 *               the message was delivered all the same and only the answer is lost
 */
export type MockFault =
  | { kind: "status"; count: number; status?: number }
  | { kind: "rate-limit"; count: number; retryAfter: number }
  | { kind: "hang"; count: number; accept?: boolean };

export type MockResend = {
  url: string;
  /** Every POST /emails, including the ones this mock failed on purpose. */
  requests: RecordedEmail[];
  /** Messages accepted (2xx), as an inbox would hold them. */
  delivered: () => RecordedEmail[];
  failNext: (count: number, status?: number) => void;
  /** Injects a fault into the next sends; `fault({ kind: "status", count: 0 })` heals it. */
  fault: (fault: MockFault) => void;
  /** Resolves once `count` sends (any outcome) have arrived. */
  waitForRequests: (count: number) => Promise<void>;
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
 *   POST /__mock/fault         a MockFault as JSON (500s, 429 with Retry-After, hangs)
 * An Idempotency-Key seen before on an accepted send is answered with the first send's ID
 * and not delivered again, as Resend does.
 */
export async function startMockResend(port = 0): Promise<MockResend> {
  const requests: RecordedEmail[] = [];
  let current: MockFault = { kind: "status", count: 0 };
  let counter = 0;
  const hung = new Set<ServerResponse>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const arrived = () => {
    for (const waiter of waiters.splice(0)) {
      if (requests.length >= waiter.count) waiter.resolve();
      else waiters.push(waiter);
    }
  };

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
        const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
        const fault = current.count > 0 ? current : undefined;
        if (fault) current = { ...current, count: current.count - 1 };
        const earlier = key && !fault ? requests.find((r) => r.idempotencyKey === key && r.accepted && !r.replayed) : undefined;
        const id = earlier ? earlier.id : `mock_${++counter}`;
        const record: RecordedEmail = {
          id,
          from: payload.from,
          to: Array.isArray(payload.to) ? payload.to : [payload.to],
          subject: payload.subject,
          text: payload.text,
          html: payload.html,
          idempotencyKey: key,
          status: 0,
          replayed: Boolean(earlier),
          accepted: false,
          receivedAt: new Date().toISOString(),
        };
        requests.push(record);
        arrived();
        if (fault?.kind === "hang") {
          // Delivered, but the answer never comes: a later send with this key is a replay.
          record.accepted = Boolean(fault.accept);
          hung.add(res);
          res.on("close", () => hung.delete(res));
          return;
        }
        if (fault?.kind === "rate-limit") {
          record.status = 429;
          res.writeHead(429, { "content-type": "application/json", "retry-after": String(fault.retryAfter) });
          res.end(JSON.stringify({ statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests. Please limit the number of requests per second." }));
          return;
        }
        if (fault) {
          record.status = fault.status ?? 500;
          return send(record.status, { statusCode: record.status, name: "internal_server_error", message: "Mock failure" });
        }
        record.status = 200;
        record.accepted = true;
        return send(200, { id });
      }
      if (req.method === "GET" && url.pathname === "/__mock/emails") {
        const to = url.searchParams.get("to")?.toLowerCase();
        return send(200, accepted().filter((m) => !to || m.to.some((t) => t.toLowerCase() === to)));
      }
      if (req.method === "POST" && url.pathname === "/__mock/fail") {
        current = { kind: "status", count: Number(url.searchParams.get("count") ?? 1), status: Number(url.searchParams.get("status") ?? 500) };
        return send(200, { ok: true });
      }
      if (req.method === "POST" && url.pathname === "/__mock/fault") {
        current = (await readJson(req)) as MockFault;
        return send(200, { ok: true });
      }
      send(404, { name: "not_found", message: `No mock for ${req.method} ${url.pathname}` });
    } catch (error) {
      send(400, { name: "validation_error", message: String(error) });
    }
  });

  /** What an inbox holds: each accepted message once (a lost answer's message counts; replays do not). */
  const accepted = () => requests.filter((r) => r.accepted && !r.replayed);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    delivered: accepted,
    failNext: (count, status = 500) => {
      current = { kind: "status", count, status };
    },
    fault: (fault) => {
      current = fault;
    },
    waitForRequests: (count) => new Promise<void>((resolve) => {
      waiters.push({ count, resolve });
      arrived();
    }),
    close: () => {
      for (const res of hung) res.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// Run directly (Playwright's webServer): `tsx e2e/mock-servers/resend.ts 4010`
if (process.argv[1]?.endsWith("resend.ts")) {
  const port = Number(process.argv[2] ?? 4010);
  startMockResend(port).then((mock) => console.log(`Mock Resend listening on ${mock.url}`));
}
