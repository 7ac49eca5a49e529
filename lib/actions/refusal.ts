/**
 * Why something was refused, as a code a client can act on (STYLE: never match on a
 * message's text). The API answers each with the status here — the one table of them.
 */
export const REFUSAL_STATUS = {
  /** Not there, or not the principal's to see (A1: a foreign ID reads as missing). */
  not_found: 404,
  /** Seen, but the principal's roles do not allow this. */
  forbidden: 403,
  /** T7: the account's identity provider owns membership. */
  managed_by_identity_provider: 403,
  /** P4: the principal must set 2FA up before anything else. */
  two_factor_setup_required: 403,
  /** P6: the API key lacks the scope. */
  insufficient_scope: 403,
  /** S1: a fresh step-up code is needed. */
  step_up_required: 401,
  /** Well-formed, but against the rules or the current state (the default). */
  conflict: 409,
  /** The input itself is wrong. */
  invalid: 422,
  rate_limited: 429,
} as const satisfies Record<string, number>;

export type RefusalCode = keyof typeof REFUSAL_STATUS;

/** A refusal with a message a person can act on; whatever the change wrote is rolled back. */
export class ActionRefusal extends Error {
  constructor(
    message: string,
    public readonly code: RefusalCode = "conflict",
  ) {
    super(message);
  }
}

export function refuse(message: string, code: RefusalCode = "conflict"): never {
  throw new ActionRefusal(message, code);
}
