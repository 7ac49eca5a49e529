import { randomUUID } from "node:crypto";
import { getDb, type Db } from "@/db/client";
import { ActionRefusal } from "@/lib/actions/refusal";
import type { Actor } from "@/lib/actions/actor";
import { Throttle } from "@/lib/auth/throttle";
import { config } from "@/lib/config";
import { kickEmailDelivery } from "@/lib/email";
import { contextFromHeaders } from "@/lib/request";
import { problemFromRefusal, ScimProblem, scimError } from "./errors";
import { authenticateScimToken, type ScimPrincipal } from "./tokens";
import { readBodyText } from "@/lib/http/read-body";

/** IdPs send bursts (a first sync of a large directory): more than the JSON API's 120 a minute. */
export const SCIM_RATE_LIMIT = { points: 600, durationSeconds: 60 };
const perToken = new Throttle({ name: "scim:token", ...SCIM_RATE_LIMIT });
/** A Group PUT names every member; 1 MB holds some 10,000. */
const MAX_BODY_BYTES = 1024 * 1024;

export type ScimContext = { principal: ScimPrincipal; actor: Actor; db: Db; params: Record<string, string>; url: URL };

/** Where the SCIM endpoint is, for meta.location (built from configuration, never the Host header). */
export const scimBaseUrl = () => `${config().appUrl}/scim/v2`;

/**
 * Every /scim/v2 handler: the account's bearer token checked on every request (no cookie
 * is accepted here), rate-limited per token, and every failure answered in SCIM's error
 * schema (RFC 7644 §3.12) as application/scim+json.
 */
export function scimRoute(handler: (req: Request, ctx: ScimContext) => Promise<Response>) {
  return async (req: Request, route: { params: Promise<Record<string, string>> }) => {
    try {
      const db = await getDb();
      const principal = await authenticateScimToken(db, req.headers.get("authorization"));
      if (!principal) return scimError(401, "Send the account's SCIM token: Authorization: Bearer scim_…", undefined, { "WWW-Authenticate": 'Bearer realm="scim"' });
      const quota = await perToken.allow(db, principal.via.tokenId);
      if (!quota.allowed) return scimError(429, `Too many requests: at most ${SCIM_RATE_LIMIT.points} a minute per token.`, undefined, { "Retry-After": String(quota.retryAfterSeconds) });
      const actor = { principal, request: contextFromHeaders(req.headers) };
      const response = await handler(req, { principal, actor, db, params: await route.params, url: new URL(req.url) });
      // An invitation may have been queued in the change's transaction.
      kickEmailDelivery();
      return response;
    } catch (error) {
      if (error instanceof ScimProblem) return scimError(error.status, error.message, error.scimType);
      if (error instanceof ActionRefusal) {
        const problem = problemFromRefusal(error);
        return scimError(problem.status, problem.message, problem.scimType);
      }
      const requestId = randomUUID().slice(0, 8);
      console.error(`[scim] request ${requestId} failed`, error);
      return scimError(500, `Something went wrong (request ${requestId}).`);
    }
  };
}

/** A request body: a JSON object, as application/scim+json or application/json (RFC 7644 §3.1). */
export async function readScimBody(req: Request): Promise<Record<string, unknown>> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/(scim\+)?json\b/i.test(type)) throw new ScimProblem(415, "Send JSON with Content-Type: application/scim+json.");
  if (Number(req.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) throw new ScimProblem(413, `Bodies are at most ${MAX_BODY_BYTES} bytes.`);
  const text = await readLimited(req);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ScimProblem(400, "The body is not valid JSON.", "invalidSyntax");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ScimProblem(400, "The body must be a JSON object.", "invalidSyntax");
  return body as Record<string, unknown>;
}

async function readLimited(req: Request): Promise<string> {
  const text = await readBodyText(req, MAX_BODY_BYTES);
  if (text === null) throw new ScimProblem(413, `Bodies are at most ${MAX_BODY_BYTES} bytes.`);
  return text;
}

/** RFC 7644 §3.4.2.4: startIndex is 1-based (below 1 reads as 1), count is at most `max` (below 0 reads as 0). */
export function pageOf(url: URL, max = 100) {
  const number = (name: string) => {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === "") return null;
    const value = Number(raw);
    if (!Number.isInteger(value)) throw new ScimProblem(400, `${name} must be an integer.`, "invalidValue");
    return value;
  };
  const startIndex = Math.max(1, number("startIndex") ?? 1);
  const count = Math.min(max, Math.max(0, number("count") ?? max));
  return { startIndex, count, offset: startIndex - 1, limit: count };
}

export const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export function listResponse(resources: unknown[], total: number, startIndex: number) {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
}
