import { ACTIVITY_SETTLE_SECONDS } from "@/lib/activity/log";
import { SIGN_IN_METHODS, SIGN_IN_RESULTS } from "@/lib/activity/results";
import { FEED_LIMIT } from "@/lib/api/feed";
import type { ApiScope } from "@/lib/api/scopes";
import { AUDIT_EVENTS } from "@/lib/audit/events";

// O1/O2: the OpenAPI description of the audit log's and sign-in activity's feeds (the
// rest of the document is ./route.ts).
const day = (name: string, words: string) => ({ name, in: "query", description: `${words} (YYYY-MM-DD, UTC, inclusive)`, schema: { type: "string", format: "date" } });
/** O1/O2: the feeds' paging, alike for both. */
const paging = [
  { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: FEED_LIMIT.max, default: FEED_LIMIT.default } },
  { name: "cursor", in: "query", description: "Older rows: a `nextCursor`, or a row's `cursor`. Rows come newest first.", schema: { type: "string" } },
  { name: "after", in: "query", description: "Newer rows, oldest first: a row's `cursor` or the `nextCursor` of the last poll. Not with `cursor`.", schema: { type: "string" } },
];
const feedPage = (items: object) => ({
  type: "object",
  properties: {
    data: { type: "array", items },
    nextCursor: { type: ["string", "null"], description: "With `cursor` (or neither): the cursor of the next older page, null at the oldest. With `after`: the `after` of the next poll (never null; the same cursor when nothing is new)." },
  },
});
const auditEvent = {
  type: "object",
  properties: {
    id: { type: "integer", description: "Increases with every event of the account, in the order they were recorded" },
    time: { type: "string", format: "date-time" },
    actor: { type: "object", properties: { id: { type: ["string", "null"], format: "uuid" }, name: { type: ["string", "null"] }, email: { type: ["string", "null"] }, label: { type: "string", description: 'As the Audit log page shows it: the address, "A former member", a SCIM token or "The system"' } } },
    action: { type: "string", enum: Object.keys(AUDIT_EVENTS) },
    actionLabel: { type: "string" },
    result: { type: "string", enum: ["success", "failure"] },
    target: { type: ["object", "null"], properties: { type: { type: ["string", "null"] }, id: { type: ["string", "null"] }, email: { type: ["string", "null"], description: "A member target's address" }, label: { type: ["string", "null"] } } },
    ip: { type: ["string", "null"] },
    userAgent: { type: ["string", "null"] },
    details: { type: "object", description: "As the export holds them (an API key's prefix when the event came through the API)" },
    cursor: { type: "string", description: "This event's place: `cursor=` for older events, `after=` for newer" },
  },
};
const signInAttempt = {
  type: "object",
  properties: {
    id: { type: "integer" },
    time: { type: "string", format: "date-time" },
    user: { type: ["object", "null"], properties: { id: { type: "string", format: "uuid" }, name: { type: ["string", "null"] } }, description: "null for an address that belongs to nobody" },
    email: { type: ["string", "null"], description: "The address tried" },
    result: { type: "string", enum: Object.keys(SIGN_IN_RESULTS) },
    resultLabel: { type: "string" },
    failed: { type: "boolean" },
    method: { type: "string", enum: Object.keys(SIGN_IN_METHODS) },
    methodLabel: { type: "string" },
    detail: { type: ["string", "null"] },
    ip: { type: ["string", "null"] },
    userAgent: { type: ["string", "null"] },
    cursor: { type: "string", description: "This attempt's place: `cursor=` for older attempts, `after=` for newer" },
  },
};

/** The feeds' paths, with the document's own responses and scope requirement. */
export const feedPaths = ({ error, forbidden, needs }: { error: object; forbidden: object; needs: (scope: ApiScope) => object }) => ({
  "/audit-events": {
    get: {
      summary: "The account's audit log, with the Audit log page's filters: newest first, or followed forward from a cursor (a SIEM's poll)",
      ...needs("audit:read"),
      parameters: [
        { name: "actor", in: "query", description: "Who acted: a member's ID or address", schema: { type: "string", maxLength: 200 } },
        { name: "action", in: "query", schema: { type: "string", enum: Object.keys(AUDIT_EVENTS) } },
        { name: "target", in: "query", description: "What it was done to: an ID, or a member's address", schema: { type: "string", maxLength: 200 } },
        { name: "member", in: "query", description: "A member's trail: what they did and what was done to them", schema: { type: "string", format: "uuid" } },
        day("from", "Events on or after this day"),
        day("to", "Events on or before this day"),
        { name: "q", in: "query", description: "Free text in the details", schema: { type: "string", maxLength: 200 } },
        ...paging,
      ],
      responses: {
        "200": { description: "One page of events, in the order they were recorded: following with `after` misses none and repeats none", content: { "application/json": { schema: feedPage(auditEvent) } } },
        "401": error,
        "403": forbidden,
        "422": error,
        "429": error,
      },
    },
  },
  "/sign-in-attempts": {
    get: {
      summary: `Sign-in attempts, with the Activity page's filters (a unit administrator: their units' members'): newest first, or followed forward from a cursor. Attempts are listed once ${ACTIVITY_SETTLE_SECONDS} seconds old, so following misses none.`,
      ...needs("activity:read"),
      parameters: [
        { name: "result", in: "query", description: '"failed" for every attempt that did not sign in, or one result', schema: { type: "string", enum: ["failed", ...Object.keys(SIGN_IN_RESULTS)] } },
        { name: "method", in: "query", schema: { type: "string", enum: Object.keys(SIGN_IN_METHODS) } },
        { name: "person", in: "query", description: "A member's ID, or the address tried", schema: { type: "string", maxLength: 320 } },
        day("from", "Attempts on or after this day"),
        day("to", "Attempts on or before this day"),
        ...paging,
      ],
      responses: {
        "200": { description: "One page of attempts", content: { "application/json": { schema: feedPage(signInAttempt) } } },
        "401": error,
        "403": forbidden,
        "422": error,
        "429": error,
      },
    },
  },
});
