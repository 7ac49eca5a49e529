import { z } from "zod";
import type { AuditFilter } from "@/db/queries/audit";
import { isAuditEvent } from "./events";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const text = z.string().trim().max(200).optional().transform((value) => value || undefined);
const day = z.string().trim().optional().transform((value) => (value && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : undefined));

/** What the log's URL may say: anything else in it is ignored, never an error. */
const schema = z.object({
  actor: text,
  action: z.string().optional().transform((value) => (value && isAuditEvent(value) ? value : undefined)),
  target: text,
  from: day,
  to: day,
  q: text,
  member: z.uuid().optional().catch(undefined),
});

export const FILTER_KEYS = ["actor", "action", "target", "from", "to", "q", "member"] as const satisfies readonly (keyof AuditFilter)[];

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

/** O1: the log's filter from its URL (the page, the export link and the member page's link share it). */
export function parseAuditFilter(params: Params): AuditFilter {
  const get = (key: string) => {
    const value = params instanceof URLSearchParams ? params.get(key) : params[key];
    return (Array.isArray(value) ? value[0] : value) ?? undefined;
  };
  const parsed = schema.safeParse(Object.fromEntries(FILTER_KEYS.map((key) => [key, get(key)])));
  const filter = parsed.success ? parsed.data : {};
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as AuditFilter;
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
