import { config } from "@/lib/config";
import { API_RATE_LIMIT } from "@/lib/api/handler";

const error = { $ref: "#/components/responses/Error" };
const member = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    name: { type: "string" },
    email: { type: "string", format: "email" },
    role: { type: "string", enum: ["primary", "secondary"] },
    status: { type: "string", enum: ["active", "invited", "disabled"] },
    twoFactor: { type: "boolean" },
    lastActiveAt: { type: ["string", "null"], format: "date-time" },
  },
};
const change = (verb: string) => ({
  post: {
    summary: `${verb} a member (keys of primary users)`,
    parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
    responses: { "200": { description: `The member, ${verb.toLowerCase()}d` }, "401": error, "403": error, "404": error, "409": error, "429": error },
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
      description: `Authenticate with an API key from Personal Account → API keys: \`Authorization: Bearer rst_…\`. At most ${API_RATE_LIMIT.points} requests a minute per key. Errors are JSON: {"error": {"code", "message"}}.`,
    },
    servers: [{ url: `${appUrl}/api/v1` }],
    security: [{ apiKey: [] }],
    paths: {
      "/me": { get: { summary: "The key's owner", responses: { "200": { description: "The owner" }, "401": error, "403": error, "429": error } } },
      "/users": {
        get: {
          summary: "Members of the account: search, filter, sort, paginate (keys of primary users)",
          parameters: [
            { name: "search", in: "query", schema: { type: "string", maxLength: 200 } },
            { name: "status", in: "query", schema: { type: "string", enum: ["active", "invited", "disabled"] } },
            { name: "sort", in: "query", schema: { type: "string", enum: ["name", "email", "status", "lastActive"] } },
            { name: "direction", in: "query", schema: { type: "string", enum: ["asc", "desc"] } },
            { name: "page", in: "query", schema: { type: "integer", minimum: 1 } },
            { name: "pageSize", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
          ],
          responses: {
            "200": {
              description: "One page of members",
              content: { "application/json": { schema: { type: "object", properties: { data: { type: "array", items: member }, page: { type: "integer" }, pageSize: { type: "integer" }, total: { type: "integer" } } } } },
            },
            "400": error,
            "401": error,
            "403": error,
            "429": error,
          },
        },
      },
      "/users/{id}/disable": change("Disable"),
      "/users/{id}/enable": change("Enable"),
    },
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer" } },
      responses: {
        Error: {
          description: "An error",
          content: { "application/json": { schema: { type: "object", properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } } } } } } },
        },
      },
    },
  });
}
