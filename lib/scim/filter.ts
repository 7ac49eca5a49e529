import { parse, type Filter } from "scim2-parse-filter";
import { ScimProblem } from "./errors";

/**
 * RFC 7644 §3.4.2.2 filters, parsed by scim2-parse-filter; of them we answer what IdPs
 * send before they create or link someone: `attr eq "value"`, possibly several joined by
 * `and`, on the attributes the resource names. Anything else is refused as invalidFilter
 * rather than half-answered (a filter ignored would list everyone, and an IdP would link
 * the wrong person).
 */
export function parseEqualityFilter<K extends string>(query: string | null, attributes: Record<string, K>): Partial<Record<K, string>> {
  if (query === null || query.trim() === "") return {};
  let filter: Filter;
  try {
    filter = parse(query);
  } catch {
    throw new ScimProblem(400, `The filter ${JSON.stringify(query)} is not a valid SCIM filter.`, "invalidFilter");
  }
  const terms = filter.op === "and" ? filter.filters : [filter];
  const match: Partial<Record<K, string>> = {};
  for (const term of terms) {
    if (term.op !== "eq" || !("compValue" in term)) throw unsupported(query);
    // Attribute names are case-insensitive (RFC 7643 §2.1); a schema URN may lead them.
    const name = term.attrPath.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, "").toLowerCase();
    const key = Object.entries(attributes).find(([attribute]) => attribute.toLowerCase() === name)?.[1] as K | undefined;
    if (!key || typeof term.compValue !== "string") throw unsupported(query);
    if (match[key] !== undefined && match[key] !== term.compValue) throw unsupported(query);
    match[key] = term.compValue;
  }
  return match;
}

const unsupported = (query: string) =>
  new ScimProblem(400, `Unsupported filter ${JSON.stringify(query)}: use attribute eq "value" (joined by and) on userName, externalId, id, displayName or emails.value for users, displayName, id or externalId for groups.`, "invalidFilter");
