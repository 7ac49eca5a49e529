import { randomUUID } from "node:crypto";
import { getDb, type Db } from "@/db/client";
import { authenticateApiKey, type ApiPrincipal } from "@/lib/api-keys";
import { ActionRefusal, REFUSAL_STATUS, type RefusalCode } from "@/lib/actions/refusal";
import type { Permission } from "@/lib/auth/permissions";
import { refusalFor } from "@/lib/auth/principal";
import { isConnectionError } from "@/lib/db-errors";
import { DATABASE_RETRY_AFTER_SECONDS } from "@/lib/http/request-outcome.mjs";
import { API_SCOPES, type ApiScope } from "./scopes";
import { Throttle } from "@/lib/auth/throttle";
import { contextFromHeaders, type RequestContext } from "@/lib/request";
import { readBodyText } from "@/lib/http/read-body";

export const API_RATE_LIMIT = { points: 120, durationSeconds: 60 };
const perKey = new Throttle({ name: "api:key", ...API_RATE_LIMIT });
const MAX_BODY_BYTES = 16 * 1024;

/** JSON errors with the status a client can act on. */
export function apiError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return Response.json({ error: { code, message } }, { status, headers });
}

export class ApiProblem extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export type ApiContext = { principal: ApiPrincipal; db: Db; request: RequestContext; params: Record<string, string> };
/**
 * Every route names the key scope it needs (P6); the permission the caller's roles must
 * grant is the scope's own (lib/api/scopes.ts) unless the route names another.
 */
type Options = { scope: ApiScope; permission?: Permission };

/** A refusal's code, answered with its status from the one table (lib/actions/refusal.ts). */
export const refusalResponse = (code: RefusalCode, message: string) => apiError(REFUSAL_STATUS[code], code, message);

/**
 * Every /api/v1 handler: the bearer key is checked on every request (route handlers get
 * no CSRF protection, and no cookie is accepted here), rate-limited per key with the
 * counter in the database, the key's scope and the owner's role checked before the
 * handler runs, and failures answered as JSON.
 */
export function apiRoute(options: Options, handler: (req: Request, ctx: ApiContext) => Promise<Response>) {
  return async (req: Request, route: { params: Promise<Record<string, string>> }) => {
    try {
      const db = await getDb();
      const principal = await authenticateApiKey(db, req.headers.get("authorization"), contextFromHeaders(req.headers));
      if (!principal) {
        return apiError(401, "unauthorized", "Send a valid API key: Authorization: Bearer rst_…", { "WWW-Authenticate": 'Bearer realm="api"' });
      }
      const quota = await perKey.allow(db, principal.via.keyId);
      if (!quota.allowed) {
        return apiError(429, "rate_limited", `Too many requests: at most ${API_RATE_LIMIT.points} a minute per key.`, { "Retry-After": String(quota.retryAfterSeconds) });
      }
      if (principal.twoFactorGate.state === "required") {
        return apiError(403, "two_factor_setup_required", "Your organisation requires two-factor authentication: set it up in the console before using the API.");
      }
      if (!principal.via.scopes.includes(options.scope)) {
        // RFC 6750 §3.1: the client learns which scope a new key needs.
        return apiError(403, "insufficient_scope", `This key does not have the ${options.scope} scope. Create a key with it on Personal Account → API keys.`, {
          "WWW-Authenticate": `Bearer error="insufficient_scope", scope="${options.scope}"`,
        });
      }
      const permission = options.permission ?? API_SCOPES[options.scope].requires;
      const refusal = permission && refusalFor(principal, permission);
      if (refusal) return refusalResponse(refusal.code, refusal.message);
      return await handler(req, { principal, db, request: contextFromHeaders(req.headers), params: await route.params });
    } catch (error) {
      if (error instanceof ApiProblem) return apiError(error.status, error.code, error.message);
      if (error instanceof ActionRefusal) return refusalResponse(error.code, error.message);
      const requestId = randomUUID().slice(0, 8);
      console.error(`[api] request ${requestId} failed`, error);
      if (isConnectionError(error)) {
        // Nothing was changed (each write is one transaction); the console reconnects by itself.
        return apiError(503, "database_unavailable", `The database cannot be reached right now, so nothing was changed. Try again shortly (request ${requestId}).`, { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) });
      }
      return apiError(500, "internal", `Something went wrong (request ${requestId}).`);
    }
  };
}

/** POST bodies here are optional JSON objects: anything else is a clear 4xx, never a 500. */
export async function readOptionalJson(req: Request): Promise<Record<string, unknown>> {
  const length = Number(req.headers.get("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) throw new ApiProblem(413, "payload_too_large", `Bodies are at most ${MAX_BODY_BYTES} bytes.`);
  const text = await readLimited(req);
  if (text.trim() === "") return {};
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new ApiProblem(415, "unsupported_media_type", "Send JSON with Content-Type: application/json.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiProblem(400, "invalid_json", "The body is not valid JSON.");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ApiProblem(400, "invalid_body", "The body must be a JSON object.");
  return body as Record<string, unknown>;
}

async function readLimited(req: Request): Promise<string> {
  const text = await readBodyText(req, MAX_BODY_BYTES);
  if (text === null) throw new ApiProblem(413, "payload_too_large", `Bodies are at most ${MAX_BODY_BYTES} bytes.`);
  return text;
}
