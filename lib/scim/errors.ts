import { ActionRefusal, type RefusalCode } from "@/lib/actions/refusal";

export const SCIM_CONTENT_TYPE = "application/scim+json";
export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

/** RFC 7644 §3.12: the detail error keywords a 400 (or 409) may carry. */
export type ScimType = "invalidFilter" | "tooMany" | "uniqueness" | "mutability" | "invalidSyntax" | "invalidPath" | "noTarget" | "invalidValue" | "invalidVers" | "sensitive";

/** A refusal in SCIM's terms: the status, and the scimType when RFC 7644 names one. */
export class ScimProblem extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly scimType?: ScimType,
  ) {
    super(message);
  }
}

export const scimProblem = (status: number, message: string, scimType?: ScimType): never => {
  throw new ScimProblem(status, message, scimType);
};

export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": SCIM_CONTENT_TYPE, ...headers } });
}

/** RFC 7644 §3.12: the error schema; `status` is a string there. */
export function scimError(status: number, detail: string, scimType?: ScimType, headers: Record<string, string> = {}) {
  return scimJson({ schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail }, status, headers);
}

/**
 * A member operation's refusal (lib/actions/refusal.ts) in SCIM's terms. `conflict` is
 * whatever the request asked against the current state (the last Admin, say), 409 as in
 * the API; where it means "that person exists already" the caller says `uniqueness`.
 */
const STATUS: Record<RefusalCode, { status: number; scimType?: ScimType }> = {
  not_found: { status: 404 },
  forbidden: { status: 403 },
  managed_by_identity_provider: { status: 403 },
  two_factor_setup_required: { status: 403 },
  insufficient_scope: { status: 403 },
  step_up_required: { status: 403 },
  conflict: { status: 409 },
  invalid: { status: 400, scimType: "invalidValue" },
  rate_limited: { status: 429 },
};

export function problemFromRefusal(refusal: ActionRefusal, conflictType?: ScimType): ScimProblem {
  const { status, scimType } = STATUS[refusal.code];
  return new ScimProblem(status, refusal.message, refusal.code === "conflict" ? conflictType : scimType);
}

/** Runs a member operation, turning its refusal into a SCIM problem. */
export async function asScim<T>(run: () => Promise<T>, conflictType?: ScimType): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ActionRefusal) throw problemFromRefusal(error, conflictType);
    throw error;
  }
}
