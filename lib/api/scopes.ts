/**
 * P6: what an API key may do. A key holds a list of these (api_keys.scopes); every
 * /api/v1 route names the one it needs (`apiRoute({ scope })`), the OpenAPI document and
 * the key form read their wording from here. Adding a scope is a row here.
 *
 * Pure data: the key form (a client component) imports it too.
 */
export const API_SCOPES = {
  "profile:read": {
    label: "Read your profile",
    description: "GET /me: your name, email, role and account.",
    primaryOnly: false,
    write: false,
  },
  "members:read": {
    label: "Read members",
    description: "GET /users: search and list the account's members (primary users only).",
    primaryOnly: true,
    write: false,
  },
  "members:write": {
    label: "Disable and enable members",
    description: "POST /users/{id}/disable and /enable (primary users only).",
    primaryOnly: true,
    write: true,
  },
} as const satisfies Record<string, { label: string; description: string; primaryOnly: boolean; write: boolean }>;

export type ApiScope = keyof typeof API_SCOPES;
export const API_SCOPE_NAMES = Object.keys(API_SCOPES) as [ApiScope, ...ApiScope[]];

/** The scopes a person may put on their keys: a secondary user cannot use members:*, so cannot choose it. */
export function scopesAvailableTo(role: "primary" | "secondary"): ApiScope[] {
  return API_SCOPE_NAMES.filter((scope) => role === "primary" || !API_SCOPES[scope].primaryOnly);
}

/** Why `role` may not have these scopes, or null when it may. */
export function scopeRefusal(role: "primary" | "secondary", scopes: readonly ApiScope[]): string | null {
  const allowed = scopesAvailableTo(role);
  const refused = scopes.filter((scope) => !allowed.includes(scope));
  return refused.length ? `Only primary users can give a key these scopes: ${refused.join(", ")}.` : null;
}

/** The catalogue's order, without repeats, so equal choices bind a step-up code alike. */
export function canonicalScopes(scopes: readonly ApiScope[]): ApiScope[] {
  return API_SCOPE_NAMES.filter((scope) => scopes.includes(scope));
}

export const hasWriteScope = (scopes: readonly ApiScope[]) => scopes.some((scope) => API_SCOPES[scope].write);
