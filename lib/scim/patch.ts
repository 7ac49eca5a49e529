import { parse } from "scim2-parse-filter";
import { ScimProblem } from "./errors";

/**
 * RFC 7644 §3.5.2 PATCH, interpreted for the few attributes a member and a role have here.
 * Written for what Okta and Microsoft Entra send as much as for the RFC: operation names in
 * any case ("Replace"), booleans as strings ("False"), a value object with no path (keys
 * may be dotted: "name.givenName"), `members[value eq "…"]` removal, and Entra's removal
 * of members by a value list. Attributes we do not keep (title, locale, phone numbers,
 * extension schemas…) are accepted and ignored, as they are on create.
 */
export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export type PatchOperation = { op: "add" | "replace" | "remove"; path: string | null; value: unknown };

const bad = (message: string, scimType: "invalidSyntax" | "invalidPath" | "invalidValue" | "mutability" | "noTarget" = "invalidSyntax") => new ScimProblem(400, message, scimType);

export function patchOperations(body: Record<string, unknown>): PatchOperation[] {
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP_SCHEMA)) throw bad(`A PATCH names the schema ${PATCH_OP_SCHEMA}.`);
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations) || operations.length === 0) throw bad("A PATCH carries a non-empty Operations list.");
  return operations.map((raw): PatchOperation => {
    if (!raw || typeof raw !== "object") throw bad("Each operation is an object.");
    const { op, path, value } = raw as Record<string, unknown>;
    const name = typeof op === "string" ? op.toLowerCase() : "";
    if (name !== "add" && name !== "replace" && name !== "remove") throw bad(`Unknown operation ${JSON.stringify(op)}: use add, replace or remove.`);
    if (path !== undefined && path !== null && (typeof path !== "string" || path.trim() === "")) throw bad("An operation's path is a string.", "invalidPath");
    const trimmed = typeof path === "string" ? path.trim() : null;
    if (name !== "remove" && value === undefined) throw bad(`A${name === "add" ? "n add" : " replace"} operation carries a value.`);
    if (name === "remove" && trimmed === null) throw bad("A remove operation names its path.", "noTarget");
    return { op: name, path: trimmed, value };
  });
}

/** "True"/"false" as Entra sends them, or JSON booleans. */
export function scimBoolean(value: unknown, attribute: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  throw bad(`${attribute} is true or false.`, "invalidValue");
}

const optionalString = (value: unknown, attribute: string): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw bad(`${attribute} is a string.`, "invalidValue");
  return value;
};

/** The attribute a path names, lower-cased, without the core schema's URN; null for an extension schema's. */
function attributeOf(path: string, resource: "User" | "Group"): string | null {
  const core = new RegExp(`^urn:ietf:params:scim:schemas:core:2\\.0:${resource}:`, "i");
  if (core.test(path)) return path.replace(core, "").toLowerCase();
  if (/^urn:/i.test(path)) return null;
  if (!/^[A-Za-z$][\w$-]*(\[.*\])?(\.[A-Za-z$][\w$-]*)?$/.test(path)) throw bad(`Cannot read the path ${JSON.stringify(path)}.`, "invalidPath");
  return path.toLowerCase();
}

// ---- Users ----

export type UserState = {
  userName: string;
  externalId: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  formatted: string | null;
  email: string;
  active: boolean;
};

/** The email a list of SCIM emails names: the primary one, else the work one, else the first. */
export function emailOf(value: unknown): string | null {
  const list = Array.isArray(value) ? value : value && typeof value === "object" ? [value] : [];
  const emails = list.filter((e): e is { value: string; primary?: unknown; type?: unknown } => Boolean(e) && typeof e === "object" && typeof (e as { value?: unknown }).value === "string");
  const chosen = emails.find((e) => e.primary === true || e.primary === "true" || e.primary === "True") ?? emails.find((e) => e.type === "work") ?? emails[0];
  return chosen?.value ?? null;
}

function setUserAttribute(state: UserState, attribute: string, value: unknown, op: PatchOperation["op"]) {
  const removing = op === "remove";
  switch (attribute) {
    case "username":
      if (removing) throw bad("userName cannot be removed.", "mutability");
      state.userName = optionalString(value, "userName") ?? state.userName;
      return;
    case "active":
      if (removing) throw bad("active cannot be removed.", "mutability");
      state.active = scimBoolean(value, "active");
      return;
    case "externalid":
      state.externalId = removing ? null : optionalString(value, "externalId");
      return;
    case "displayname":
      state.displayName = removing ? null : optionalString(value, "displayName");
      return;
    case "name": {
      if (removing) {
        state.givenName = state.familyName = state.formatted = null;
        return;
      }
      if (!value || typeof value !== "object") throw bad("name is an object.", "invalidValue");
      for (const [key, part] of Object.entries(value)) setUserAttribute(state, `name.${key.toLowerCase()}`, part, op);
      return;
    }
    case "name.givenname":
      state.givenName = removing ? null : optionalString(value, "name.givenName");
      return;
    case "name.familyname":
      state.familyName = removing ? null : optionalString(value, "name.familyName");
      return;
    case "name.formatted":
      state.formatted = removing ? null : optionalString(value, "name.formatted");
      return;
    default:
      if (attribute === "emails" || attribute.startsWith("emails[") || attribute === "emails.value") {
        if (removing) throw bad("A member keeps their email address.", "mutability");
        const email = typeof value === "string" ? value : emailOf(value);
        if (!email) throw bad("emails carries an address in value.", "invalidValue");
        state.email = email;
      }
    // Anything else we do not keep: accepted, ignored.
  }
}

export function applyUserPatch(current: UserState, operations: readonly PatchOperation[]): UserState {
  const state = { ...current };
  for (const operation of operations) {
    if (operation.path === null) {
      if (!operation.value || typeof operation.value !== "object" || Array.isArray(operation.value)) throw bad("Without a path, the value is an object of attributes.", "invalidValue");
      for (const [key, value] of Object.entries(operation.value)) {
        const attribute = attributeOf(key, "User");
        if (attribute) setUserAttribute(state, attribute, value, operation.op);
      }
      continue;
    }
    const attribute = attributeOf(operation.path, "User");
    if (attribute) setUserAttribute(state, attribute, operation.value, operation.op);
  }
  return state;
}

// ---- Groups ----

export type GroupState = { displayName: string; members: string[] };

/** The member IDs of a SCIM members value: [{ value: "id" }, …] (a single object is read as a list of one). */
export function memberIdsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value && typeof value === "object" ? [value] : [];
  return list.map((member) => {
    const id = member && typeof member === "object" ? (member as { value?: unknown }).value : undefined;
    if (typeof id !== "string" || id === "") throw bad("Each member names a user by its id in value.", "invalidValue");
    return id;
  });
}

/** `members[value eq "id"]`: the member it names. */
function memberOfPath(path: string): string {
  const inner = path.match(/^members\[(.*)\]$/i)?.[1];
  let filter;
  try {
    filter = inner ? parse(inner) : null;
  } catch {
    filter = null;
  }
  if (!filter || filter.op !== "eq" || !("compValue" in filter) || filter.attrPath.toLowerCase() !== "value" || typeof filter.compValue !== "string") {
    throw bad(`Cannot read the path ${JSON.stringify(path)}: name a member as members[value eq "id"].`, "invalidPath");
  }
  return filter.compValue;
}

function setGroupAttribute(state: GroupState, attribute: string, path: string, value: unknown, op: PatchOperation["op"]) {
  if (attribute === "displayname") {
    if (op === "remove") throw bad("A group keeps its displayName.", "mutability");
    const name = optionalString(value, "displayName");
    if (!name) throw bad("displayName is a non-empty string.", "invalidValue");
    state.displayName = name;
  } else if (attribute === "members") {
    const ids = op === "remove" && (value === undefined || value === null) ? state.members : memberIdsOf(value);
    if (op === "replace") state.members = [...new Set(ids)];
    else if (op === "add") state.members = [...new Set([...state.members, ...ids])];
    else state.members = state.members.filter((id) => !ids.includes(id));
  } else if (attribute.startsWith("members[")) {
    if (op !== "remove") throw bad("Add or replace members with the path members and a list of members.", "invalidPath");
    const id = memberOfPath(path);
    state.members = state.members.filter((member) => member !== id);
  }
  // id, externalId, meta…: nothing of ours to change.
}

export function applyGroupPatch(current: GroupState, operations: readonly PatchOperation[]): GroupState {
  const state = { displayName: current.displayName, members: [...current.members] };
  for (const operation of operations) {
    if (operation.path === null) {
      if (!operation.value || typeof operation.value !== "object" || Array.isArray(operation.value)) throw bad("Without a path, the value is an object of attributes.", "invalidValue");
      for (const [key, value] of Object.entries(operation.value)) {
        const attribute = attributeOf(key, "Group");
        if (attribute) setGroupAttribute(state, attribute, key, value, operation.op);
      }
      continue;
    }
    const attribute = attributeOf(operation.path, "Group");
    if (attribute) setGroupAttribute(state, attribute, operation.path, operation.value, operation.op);
  }
  return state;
}
