import { z } from "zod";
import type { ActivityFilter } from "@/db/queries/activity";
import { isSignInMethod, isSignInResult, methodLabel, resultLabel } from "./results";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = z.string().trim().optional().transform((value) => (value && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : undefined));

/** What the Activity page's URL may say: anything else in it is ignored, never an error. */
const schema = z.object({
  result: z.string().optional().transform((value) => (value && (value === "failed" || isSignInResult(value)) ? value : undefined)),
  method: z.string().optional().transform((value) => (value && isSignInMethod(value) ? value : undefined)),
  person: z.string().trim().max(320).optional().transform((value) => value || undefined),
  from: day,
  to: day,
});

export const ACTIVITY_FILTER_KEYS = ["result", "method", "person", "from", "to"] as const satisfies readonly (keyof ActivityFilter)[];

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

/** O2: the Activity page's filter from its URL (the page and its export link share it). */
export function parseActivityFilter(params: Params): ActivityFilter {
  const get = (key: string) => {
    const value = params instanceof URLSearchParams ? params.get(key) : params[key];
    return (Array.isArray(value) ? value[0] : value) ?? undefined;
  };
  const parsed = schema.safeParse(Object.fromEntries(ACTIVITY_FILTER_KEYS.map((key) => [key, get(key)])));
  const filter = parsed.success ? parsed.data : {};
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)) as ActivityFilter;
}

/** The filter as a query string, for links that keep it (pages, export). */
export function activityFilterQuery(filter: ActivityFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of ACTIVITY_FILTER_KEYS) if (filter[key]) params.set(key, filter[key]!);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

/** The filter in words, for the page and the export's first line. */
export function describeActivityFilter(filter: ActivityFilter): string {
  const parts = [
    filter.result ? (filter.result === "failed" ? "failed attempts only" : `result: ${resultLabel(filter.result)}`) : null,
    filter.method ? `method: ${methodLabel(filter.method)}` : null,
    filter.person ? `person: ${filter.person}` : null,
    filter.from ? `from ${filter.from}` : null,
    filter.to ? `to ${filter.to}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "none (every attempt)";
}
