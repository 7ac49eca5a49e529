import { ApiProblem } from "./handler";

/** O1/O2 through /api/v1: how many rows a page of a feed holds. */
export const FEED_LIMIT = { default: 50, max: 200 } as const;

type Feed = "audit" | "activity";

/**
 * A feed's cursor: a row's place, named with the feed it belongs to, in base64url so a
 * client treats it as opaque (and a cursor of one feed is refused by the other).
 */
export const encodeCursor = (feed: Feed, position: string) => Buffer.from(`${feed}:${position}`, "utf8").toString("base64url");

function decodeCursor<T>(feed: Feed, name: string, text: string, parse: (position: string) => T | undefined): T {
  const decoded = Buffer.from(text, "base64url").toString("utf8");
  const position = decoded.startsWith(`${feed}:`) ? decoded.slice(feed.length + 1) : undefined;
  // Only a cursor spelt exactly as this feed spells one (base64 decoding forgives a lot).
  const parsed = position !== undefined && encodeCursor(feed, position) === text ? parse(position) : undefined;
  if (parsed === undefined) throw new ApiProblem(422, "invalid_cursor", `${name}: not a cursor from this endpoint (use an event's cursor or a nextCursor it gave).`);
  return parsed;
}

export type FeedPaging<T> = { limit: number; older?: T; newer?: T; after?: string };

/**
 * The paging half of a feed's query — `limit`, and `cursor` (older rows, newest first) or
 * `after` (newer rows, oldest first) — and no parameter but these and the filter's.
 */
export function readFeedPaging<T>(params: URLSearchParams, feed: Feed, filterKeys: readonly string[], parse: (position: string) => T | undefined): FeedPaging<T> {
  const known = new Set(["limit", "cursor", "after", ...filterKeys]);
  const unknown = [...new Set(params.keys())].filter((key) => !known.has(key));
  if (unknown.length) throw new ApiProblem(422, "invalid_query", `Unknown parameter: ${unknown.join(", ")}. Known: ${[...known].join(", ")}.`);
  const limitText = params.get("limit");
  let limit: number = FEED_LIMIT.default;
  if (limitText !== null) {
    if (!/^\d{1,3}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > FEED_LIMIT.max) throw new ApiProblem(422, "invalid_query", `limit: a whole number from 1 to ${FEED_LIMIT.max}.`);
    limit = Number(limitText);
  }
  const cursor = params.get("cursor");
  const after = params.get("after");
  if (cursor !== null && after !== null) throw new ApiProblem(422, "invalid_query", "Send cursor (older events) or after (newer events), not both.");
  if (cursor !== null) return { limit, older: decodeCursor(feed, "cursor", cursor, parse) };
  if (after !== null) return { limit, newer: decodeCursor(feed, "after", after, parse), after };
  return { limit };
}

/**
 * Where the next request starts. Going back: the last row's cursor while there are more,
 * null at the start. Following: the last row's, or the `after` sent when nothing is new,
 * so a poller keeps the cursor it is given and asks again.
 */
export function nextCursor(paging: FeedPaging<unknown>, cursors: readonly string[], more: boolean): string | null {
  if (paging.after !== undefined) return cursors.at(-1) ?? paging.after;
  return more ? (cursors.at(-1) ?? null) : null;
}
