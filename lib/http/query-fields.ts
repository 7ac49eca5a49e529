import type { z } from "zod";

export type QueryParams = Record<string, string | string[] | undefined> | URLSearchParams;

/**
 * A filter read from a URL, field by field: the valid fields, and one message for each that
 * is not. A page ignores the problems (a stale link still opens); the API answers them
 * (422), so the console and /api/v1 filter by one definition (O1, O2). Empty is no filter.
 */
export function readQueryFields<K extends string>(params: QueryParams, fields: Record<K, z.ZodType<string>>, keys: readonly K[]): { values: Partial<Record<K, string>>; problems: string[] } {
  const values: Partial<Record<K, string>> = {};
  const problems: string[] = [];
  for (const key of keys) {
    const raw = params instanceof URLSearchParams ? params.get(key) : params[key];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!value) continue;
    const parsed = fields[key].safeParse(value);
    if (parsed.success) values[key] = parsed.data;
    else problems.push(parsed.error.issues[0].message);
  }
  return { values, problems };
}
