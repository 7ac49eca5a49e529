import { scimBaseUrl } from "./handler";
import { GROUP_SCHEMA } from "./groups";
import { USER_SCHEMA } from "./users";

/** RFC 7643 §5–7: what this endpoint supports, for IdPs that read it before they provision. */
export function serviceProviderConfig() {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: 100 },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [{ type: "oauthbearertoken", name: "Bearer token", description: "The account's SCIM token, made on Provisioning in the Roster console.", primary: true }],
    meta: { resourceType: "ServiceProviderConfig", location: `${scimBaseUrl()}/ServiceProviderConfig` },
  };
}

const attribute = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "string",
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
  ...extra,
});

const USER_ATTRIBUTES = [
  attribute("userName", { required: true, uniqueness: "server" }),
  attribute("externalId", { caseExact: true }),
  attribute("name", {
    type: "complex",
    subAttributes: [attribute("formatted"), attribute("givenName"), attribute("familyName")],
  }),
  attribute("displayName"),
  attribute("active", { type: "boolean" }),
  attribute("emails", {
    type: "complex",
    multiValued: true,
    mutability: "immutable",
    subAttributes: [attribute("value"), attribute("type"), attribute("primary", { type: "boolean" })],
  }),
];

const GROUP_ATTRIBUTES = [
  attribute("displayName", { required: true, uniqueness: "server" }),
  attribute("members", {
    type: "complex",
    multiValued: true,
    subAttributes: [attribute("value", { mutability: "immutable", caseExact: true }), attribute("display", { mutability: "readOnly" }), attribute("$ref", { type: "reference", referenceTypes: ["User"], mutability: "immutable" })],
  }),
];

export function schemas() {
  return [
    { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"], id: USER_SCHEMA, name: "User", description: "A member of the account", attributes: USER_ATTRIBUTES, meta: { resourceType: "Schema", location: `${scimBaseUrl()}/Schemas/${USER_SCHEMA}` } },
    { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"], id: GROUP_SCHEMA, name: "Group", description: "A role of the account", attributes: GROUP_ATTRIBUTES, meta: { resourceType: "Schema", location: `${scimBaseUrl()}/Schemas/${GROUP_SCHEMA}` } },
  ];
}

export function resourceTypes() {
  return [
    { schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], id: "User", name: "User", endpoint: "/Users", description: "Members", schema: USER_SCHEMA, meta: { resourceType: "ResourceType", location: `${scimBaseUrl()}/ResourceTypes/User` } },
    { schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], id: "Group", name: "Group", endpoint: "/Groups", description: "Roles", schema: GROUP_SCHEMA, meta: { resourceType: "ResourceType", location: `${scimBaseUrl()}/ResourceTypes/Group` } },
  ];
}
