import { headers } from "next/headers";

export type RequestContext = { ip: string | null; userAgent: string | null };

export function contextFromHeaders(h: Headers): RequestContext {
  // Behind a proxy the left-most X-Forwarded-For entry is the client.
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  return {
    ip: forwarded || h.get("x-real-ip") || null,
    userAgent: h.get("user-agent")?.slice(0, 500) ?? null,
  };
}

/** Where the current request came from, for audit rows, sessions and throttling. */
export async function requestContext(): Promise<RequestContext> {
  return contextFromHeaders(await headers());
}
