/**
 * P6: what an API key may do. A key holds a list of these (api_keys.scopes); every
 * /api/v1 route names the one it needs (`apiRoute({ scope })`), the OpenAPI document and
 * the key form read their wording from here. Adding a scope is a row here.
 *
 * Pure data: the key form (a client component) imports it too.
 */
import type { Permission } from "@/lib/auth/permissions";

export const API_SCOPES = {
  "profile:read": {
    label: "Read your profile",
    description: "GET /me: your name, email, role and account.",
    requires: null,
    write: false,
  },
  "members:read": {
    label: "Read members",
    description: "GET /users, /users/{id} and /units: search and list the account's members and units (for those who may see the team; a unit administrator, their units).",
    requires: "members.read",
    write: false,
  },
  "members:write": {
    label: "Disable and enable members",
    description: "POST /users/{id}/disable and /enable (for those who may manage members).",
    requires: "members.manage",
    write: true,
  },
  "resources:read": {
    label: "Read resources",
    description: "GET /resources and POST /resources/check: the resources the key's owner may see, and whether a member may view or edit one.",
    requires: "content.view",
    write: false,
  },
  "resources:write": {
    label: "Create resources",
    description: "POST /resources: create apps, projects, workspaces, workflows, dashboards, data sources and chats owned by the key's owner (within their teams' quotas).",
    requires: "content.create",
    write: true,
  },
  "audit:read": {
    label: "Read the audit log",
    description: "GET /audit-events: the account's audit log with the Audit log page's filters, newest first, and followed forward from a cursor (for a SIEM).",
    requires: "audit.read",
    write: false,
  },
  "activity:read": {
    label: "Read sign-in activity",
    description: "GET /sign-in-attempts: sign-in attempts with the Activity page's filters, newest first, and followed forward from a cursor (a unit administrator: their units' members').",
    requires: "activity.read",
    write: false,
  },
} as const satisfies Record<string, { label: string; description: string; requires: Permission | null; write: boolean }>;

export type ApiScope = keyof typeof API_SCOPES;
export const API_SCOPE_NAMES = Object.keys(API_SCOPES) as [ApiScope, ...ApiScope[]];

export const isApiScope = (value: string): value is ApiScope => Object.hasOwn(API_SCOPES, value);

/** The catalogue's order, without repeats, so equal choices bind a step-up code alike. */
export function canonicalScopes(scopes: readonly ApiScope[]): ApiScope[] {
  return API_SCOPE_NAMES.filter((scope) => scopes.includes(scope));
}

export const hasWriteScope = (scopes: readonly ApiScope[]) => scopes.some((scope) => API_SCOPES[scope].write);
