import * as groupRoute from "@/app/scim/v2/Groups/[id]/route";
import * as groupsRoute from "@/app/scim/v2/Groups/route";
import * as resourceTypesRoute from "@/app/scim/v2/ResourceTypes/route";
import * as schemasRoute from "@/app/scim/v2/Schemas/route";
import * as serviceProviderConfigRoute from "@/app/scim/v2/ServiceProviderConfig/route";
import * as userRoute from "@/app/scim/v2/Users/[id]/route";
import * as usersRoute from "@/app/scim/v2/Users/route";

import SCIMMY from "scimmy";

type Handler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type ScimReply = { status: number; contentType: string | null; body: Record<string, unknown> & { Resources?: Record<string, unknown>[] } };

const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

/**
 * Checks a resource against RFC 7643's User or Group schema with SCIMMY (a SCIM library
 * from the registry, not ours): an attribute of the wrong type or shape throws.
 */
function assertConforms(resource: Record<string, unknown>) {
  const schemas = (resource.schemas ?? []) as string[];
  if (schemas.includes(USER_SCHEMA)) new SCIMMY.Schemas.User(resource, "out");
  else if (schemas.includes(GROUP_SCHEMA)) new SCIMMY.Schemas.Group(resource, "out");
}

/**
 * Sends one SCIM request to the route handlers as an IdP would over HTTP, for tests:
 * `path` as the IdP writes it after /scim/v2 (query string included).
 */
export async function scimRequest(token: string | null, method: string, path: string, body?: unknown): Promise<ScimReply> {
  const url = new URL(`http://roster.test/scim/v2${path}`);
  const [, resource, id] = url.pathname.slice("/scim/v2".length).split("/");
  const modules: Record<string, Record<string, unknown>> = {
    Users: id ? userRoute : usersRoute,
    Groups: id ? groupRoute : groupsRoute,
    ServiceProviderConfig: serviceProviderConfigRoute,
    Schemas: schemasRoute,
    ResourceTypes: resourceTypesRoute,
  };
  const handler = modules[resource]?.[method] as Handler | undefined;
  if (!handler) throw new Error(`No handler for ${method} ${path}`);
  const headers: Record<string, string> = { "user-agent": "Okta SCIM Client 1.0.0" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/scim+json; charset=utf-8";
  const response = await handler(new Request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), { params: Promise.resolve<Record<string, string>>(id ? { id: decodeURIComponent(id) } : {}) });
  const text = await response.text();
  const reply: ScimReply = { status: response.status, contentType: response.headers.get("content-type"), body: text ? JSON.parse(text) : {} };
  assertConforms(reply.body);
  for (const resource of reply.body.Resources ?? []) assertConforms(resource);
  return reply;
}
