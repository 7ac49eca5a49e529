import { z } from "zod";
import { readQueryFields, type QueryParams } from "@/lib/http/query-fields";
import type { AuditFilter } from "@/db/queries/audit";
import { isAuditEvent } from "./events";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const text = (key: string) => z.string().trim().max(200, `${key}: at most 200 characters`);
const day = (key: string) => z.string().trim().refine((value) => DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), `${key}: a day, YYYY-MM-DD`);

/** Each field of the log's filter and what it may say (an empty one is no filter). */
const FIELDS = {
  actor: text("actor"),
  action: z.string().refine(isAuditEvent, "action: an audit event's name, such as member.disabled"),
  target: text("target"),
  from: day("from"),
  to: day("to"),
  q: text("q"),
  member: z.uuid("member: a member's ID"),
} satisfies Record<keyof AuditFilter, z.ZodType<string>>;

export const FILTER_KEYS = ["actor", "action", "target", "from", "to", "q", "member"] as const satisfies readonly (keyof AuditFilter)[];

/** O1: the log's filter from its URL (the page, the export link and the member page's link share it): a field that makes no sense is ignored, never an error. */
export function parseAuditFilter(params: QueryParams): AuditFilter {
  return readQueryFields(params, FIELDS, FILTER_KEYS).values;
}

/** O1: the same filter, read strictly (GET /api/v1/audit-events): a field that makes no sense is the caller's error to fix. */
export function checkAuditFilter(params: QueryParams): { ok: true; filter: AuditFilter } | { ok: false; message: string } {
  const { values: filter, problems } = readQueryFields(params, FIELDS, FILTER_KEYS);
  return problems.length ? { ok: false, message: problems.join("; ") } : { ok: true, filter };
}

/** The filter as a query string, for links that keep it (pages, export). */
export function auditFilterQuery(filter: AuditFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filter[key]) params.set(key, filter[key]!);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

/** The filter in words, for the export's first line ("everything" when there is none). */
export function describeAuditFilter(filter: AuditFilter): string {
  const parts = FILTER_KEYS.filter((key) => filter[key]).map((key) => `${key}=${filter[key]}`);
  return parts.length ? parts.join(", ") : "none (every event)";
}
