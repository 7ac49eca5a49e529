import { z } from "zod";
import { readQueryFields, type QueryParams } from "@/lib/http/query-fields";
import type { ActivityFilter } from "@/db/queries/activity";
import { isSignInMethod, isSignInResult, methodLabel, resultLabel, SIGN_IN_METHODS, SIGN_IN_RESULTS } from "./results";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (key: string) => z.string().trim().refine((value) => DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), `${key}: a day, YYYY-MM-DD`);

/** Each field of the Activity page's filter and what it may say (an empty one is no filter). */
const FIELDS = {
  result: z.string().refine((value) => value === "failed" || isSignInResult(value), `result: "failed" or one of ${Object.keys(SIGN_IN_RESULTS).join(", ")}`),
  method: z.string().refine(isSignInMethod, `method: one of ${Object.keys(SIGN_IN_METHODS).join(", ")}`),
  person: z.string().trim().max(320, "person: a member's ID or an address, at most 320 characters"),
  from: day("from"),
  to: day("to"),
} satisfies Record<keyof ActivityFilter, z.ZodType<string>>;

export const ACTIVITY_FILTER_KEYS = ["result", "method", "person", "from", "to"] as const satisfies readonly (keyof ActivityFilter)[];

/** O2: the Activity page's filter from its URL (the page and its export link share it): a field that makes no sense is ignored, never an error. */
export function parseActivityFilter(params: QueryParams): ActivityFilter {
  return readQueryFields(params, FIELDS, ACTIVITY_FILTER_KEYS).values;
}

/** O2: the same filter, read strictly (GET /api/v1/sign-in-attempts): a field that makes no sense is the caller's error to fix. */
export function checkActivityFilter(params: QueryParams): { ok: true; filter: ActivityFilter } | { ok: false; message: string } {
  const { values: filter, problems } = readQueryFields(params, FIELDS, ACTIVITY_FILTER_KEYS);
  return problems.length ? { ok: false, message: problems.join("; ") } : { ok: true, filter };
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
