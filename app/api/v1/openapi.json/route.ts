import { config } from "@/lib/config";
import { API_RATE_LIMIT } from "@/lib/api/handler";
import { API_SCOPE_NAMES, API_SCOPES, type ApiScope } from "@/lib/api/scopes";
import { PERMISSION_NAMES } from "@/lib/auth/permissions";
import { feedPaths } from "./feeds";

const application = { type: "object", properties: { key: { type: "string" }, name: { type: "string" }, roles: { type: "array", items: { type: "object", properties: { key: { type: "string" }, name: { type: "string" } } } } } };

const errorBody = { type: "object", properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } } } } };
const error = { $ref: "#/components/responses/Error" };
const forbidden = { $ref: "#/components/responses/Forbidden" };
/** P6: the scope an operation needs, as its security requirement and in its description. */
const needs = (scope: ApiScope) => ({ security: [{ apiKey: [scope] }], description: `Needs a key with the \`${scope}\` scope (${API_SCOPES[scope].label}).` });
const scopeList = API_SCOPE_NAMES.map((scope) => `- \`${scope}\`: ${API_SCOPES[scope].label}. ${API_SCOPES[scope].description}`).join("\n");
const unitRef = { type: "object", properties: { id: { type: "string", format: "uuid" }, name: { type: "string" } } };
const role = {
  type: "object",
  properties: {
    key: { type: "string", description: "A predefined role's key (admin, member…) or a custom role's ID" },
    name: { type: "string" },
    custom: { type: "boolean" },
    unit: { oneOf: [unitRef, { type: "null" }], description: "The organisation unit the role is held on (it covers the units below it too), or null for the whole account" },
  },
};
const member = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    name: { type: "string" },
    email: { type: "string", format: "email" },
    roles: { type: "array", items: role },
    kind: { type: "string", enum: ["person", "workstation"] },
    status: { type: "string", enum: ["active", "invited", "disabled"] },
    twoFactor: { type: "boolean", description: "An authenticator app or at least one passkey." },
    lastActiveAt: { type: ["string", "null"], format: "date-time" },
  },
};
const unit = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    name: { type: "string" },
    parentId: { type: ["string", "null"], format: "uuid", description: "null at the top, or when the parent is not listed to this key" },
    path: { type: "string", description: 'The unit with those above it, e.g. "Acme / EMEA / Germany"' },
  },
};
const resource = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    kind: { type: "string", enum: ["app", "project", "workspace", "workflow", "dashboard", "data_source", "chat"] },
    name: { type: "string" },
    owner: { type: "object", properties: { id: { type: "string", format: "uuid" }, name: { type: "string" }, email: { type: "string" } } },
    access: {
      type: "string",
      enum: ["edit", "view", "log"],
      description: "The caller's access. log: a workflow's viewer, who may read its execution log only — the fields below are left out.",
    },
    parentId: { type: ["string", "null"], format: "uuid", description: "A workspace's project" },
    teamId: { type: ["string", "null"], format: "uuid", description: "The team whose quotas it counts against" },
    size: { type: ["object", "null"], properties: { cpuMillis: { type: ["integer", "null"] }, memoryMb: { type: ["integer", "null"] }, storageGb: { type: ["integer", "null"] } } },
    allUsers: { type: "boolean" },
    sharedWith: { type: "array", items: { type: "object", properties: { type: { type: "string", enum: ["team", "user"] }, id: { type: "string" }, name: { type: "string" }, level: { type: "string", enum: ["view", "edit"] }, inherited: { type: "boolean", description: "A workspace's project's share" } } } },
  },
};
const change = (verb: string) => ({
  post: {
    summary: `${verb} a member (keys of people who may manage members)`,
    ...needs("members:write"),
    parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
    responses: { "200": { description: `The member, ${verb.toLowerCase()}d` }, "401": error, "403": forbidden, "404": error, "409": error, "429": error },
  },
});

/** GET /api/v1/openapi.json — the API's description (public, like any API reference). */
export function GET() {
  const { appName, appUrl } = config();
  return Response.json({
    openapi: "3.1.0",
    info: {
      title: `${appName} API`,
      version: "1",
      description: `Authenticate with an API key from Personal Account → API keys: \`Authorization: Bearer rst_…\`. Each key works only for the scopes it was given (see the apiKey security scheme); each operation names the one it needs. At most ${API_RATE_LIMIT.points} requests a minute per key. Errors are JSON: {"error": {"code", "message"}}.`,
    },
    servers: [{ url: `${appUrl}/api/v1` }],
    security: [{ apiKey: [] }],
    paths: {
      "/me": {
        get: {
          summary: "The key's owner: roles, the permissions they add up to, and application access",
          ...needs("profile:read"),
          responses: {
            "200": {
              description: "The owner",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      id: { type: "string", format: "uuid" },
                      email: { type: "string" },
                      name: { type: "string" },
                      accountId: { type: "string", format: "uuid" },
                      kind: { type: "string", enum: ["person", "workstation"] },
                      roles: { type: "array", items: role },
                      permissions: { type: "array", items: { type: "string", enum: PERMISSION_NAMES }, description: "Held for the whole account. A role held on a unit gives its member-administration permissions over that unit only." },
                      applications: { type: "array", items: application },
                    },
                  },
                },
              },
            },
            "401": error,
            "403": forbidden,
            "429": error,
          },
        },
      },
      "/authorize": {
        post: {
          summary: "May this member do this (for the whole account)? A permission of the catalogue, or an app role (A3, A8)",
          ...needs("members:read"),
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  oneOf: [
                    { type: "object", required: ["userId", "permission"], properties: { userId: { type: "string", format: "uuid" }, permission: { type: "string", enum: PERMISSION_NAMES } }, additionalProperties: false },
                    { type: "object", required: ["userId", "app", "appRole"], properties: { userId: { type: "string", format: "uuid" }, app: { type: "string" }, appRole: { type: "string" } }, additionalProperties: false },
                  ],
                },
              },
            },
          },
          responses: {
            "200": { description: "The answer: `allowed` is true only for an active member who holds it", content: { "application/json": { schema: { type: "object", properties: { userId: { type: "string" }, allowed: { type: "boolean" } } } } } },
            "400": error,
            "401": error,
            "403": forbidden,
            "404": error,
            "429": error,
          },
        },
      },
      "/users": {
        get: {
          summary: "Members of the account the key's owner sees (a unit administrator: their units' members): search, filter, sort, paginate",
          ...needs("members:read"),
          parameters: [
            { name: "search", in: "query", schema: { type: "string", maxLength: 200 } },
            { name: "status", in: "query", schema: { type: "string", enum: ["active", "invited", "disabled"] } },
            { name: "sort", in: "query", schema: { type: "string", enum: ["name", "email", "status", "lastActive"] } },
            { name: "direction", in: "query", schema: { type: "string", enum: ["asc", "desc"] } },
            { name: "page", in: "query", schema: { type: "integer", minimum: 1 } },
            { name: "pageSize", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
            { name: "unit", in: "query", description: "Members of this unit and of every unit below it (GET /units)", schema: { type: "string", format: "uuid" } },
          ],
          responses: {
            "200": {
              description: "One page of members",
              content: { "application/json": { schema: { type: "object", properties: { data: { type: "array", items: member }, page: { type: "integer" }, pageSize: { type: "integer" }, total: { type: "integer" } } } } },
            },
            "400": error,
            "401": error,
            "403": forbidden,
            "429": error,
          },
        },
      },
      "/users/{id}": {
        get: {
          summary: "One member, with their roles and units (404 for anyone the key's owner does not see)",
          ...needs("members:read"),
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          responses: {
            "200": {
              description: "The member",
              content: { "application/json": { schema: { allOf: [member, { type: "object", properties: { units: { type: "array", items: unitRef } } }] } } },
            },
            "401": error,
            "403": forbidden,
            "404": error,
            "429": error,
          },
        },
      },
      "/units": {
        get: {
          summary: "The organisation units whose members the key's owner sees (every unit, or a unit administrator's and those below them)",
          ...needs("members:read"),
          responses: {
            "200": { description: "The units", content: { "application/json": { schema: { type: "object", properties: { data: { type: "array", items: unit } } } } } },
            "401": error,
            "403": forbidden,
            "429": error,
          },
        },
      },
      "/resources": {
        get: {
          summary: "The resources the key's owner may see: their own, those shared with them or their teams, data sources open to all users",
          ...needs("resources:read"),
          responses: { "200": { description: "The resources", content: { "application/json": { schema: { type: "object", properties: { data: { type: "array", items: resource } } } } } }, "401": error, "403": forbidden, "429": error },
        },
        post: {
          summary: "Create a resource owned by the key's owner (a workspace needs parentId, a project; a team's quotas apply)",
          ...needs("resources:write"),
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["kind", "name"],
                  properties: {
                    kind: { type: "string", enum: ["app", "project", "workspace", "workflow", "dashboard", "data_source", "chat"] },
                    name: { type: "string" },
                    parentId: { type: ["string", "null"], format: "uuid" },
                    teamId: { type: ["string", "null"], format: "uuid" },
                    cpuMillis: { type: ["integer", "null"] },
                    memoryMb: { type: ["integer", "null"] },
                    storageGb: { type: ["integer", "null"] },
                    allUsers: { type: "boolean", description: "A data source open to all users of the account" },
                  },
                },
              },
            },
          },
          responses: { "201": { description: "The resource", content: { "application/json": { schema: resource } } }, "401": error, "403": forbidden, "404": error, "409": { description: "A team quota would be passed (the message names it and the usage)", content: { "application/json": { schema: errorBody } } }, "422": error, "429": error },
        },
      },
      "/resources/{id}": {
        get: {
          summary: "One resource the key's owner may see (any other is 404)",
          ...needs("resources:read"),
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          responses: { "200": { description: "The resource", content: { "application/json": { schema: resource } } }, "401": error, "403": forbidden, "404": error, "429": error },
        },
        patch: {
          summary: "Resize an app or a workflow (null clears a size, one left out keeps its value; a team's quotas apply)",
          ...needs("resources:write"),
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", properties: { cpuMillis: { type: ["integer", "null"] }, memoryMb: { type: ["integer", "null"] }, storageGb: { type: ["integer", "null"] } } } } } },
          responses: { "200": { description: "The resource", content: { "application/json": { schema: resource } } }, "401": error, "403": forbidden, "404": error, "409": { description: "A team quota would be passed (the message names it and the usage)", content: { "application/json": { schema: errorBody } } }, "422": error, "429": error },
        },
      },
      "/resources/check": {
        post: {
          summary: "May this member (default: the key's owner) view or edit this resource?",
          ...needs("resources:read"),
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["resourceId", "ability"], properties: { resourceId: { type: "string", format: "uuid" }, ability: { type: "string", enum: ["view", "edit"] }, userId: { type: "string", format: "uuid" } } } } } },
          responses: { "200": { description: "{ userId, resourceId, ability, allowed, reason? }" }, "400": error, "401": error, "403": forbidden, "404": error, "429": error },
        },
      },
      ...feedPaths({ error, forbidden, needs }),
      "/users/{id}/disable": change("Disable"),
      "/users/{id}/enable": change("Enable"),
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: `An API key (\`rst_…\`) from Personal Account → API keys. Each key carries the scopes chosen when it was created; each operation needs one of them:\n${scopeList}\n\nKeys made before scopes existed are read-only (\`profile:read\`, \`members:read\`). A call outside the key's scopes is answered 403 \`insufficient_scope\`.`,
        },
      },
      responses: {
        Error: {
          description: "An error",
          content: { "application/json": { schema: errorBody } },
        },
        Forbidden: {
          description:
            "Refused. `insufficient_scope`: the key lacks the operation's scope (the `WWW-Authenticate` header names it); `forbidden`: the key owner's roles do not grant the permission; `two_factor_setup_required`: the owner must set up 2FA first; `managed_by_identity_provider`: the account's membership comes from its identity provider.",
          headers: {
            "WWW-Authenticate": {
              description: 'With `insufficient_scope`: `Bearer error="insufficient_scope", scope="<the scope needed>"`.',
              schema: { type: "string" },
            },
          },
          content: { "application/json": { schema: errorBody, example: { error: { code: "insufficient_scope", message: "This key does not have the members:write scope. Create a key with it on Personal Account → API keys." } } } },
        },
      },
    },
  });
}
