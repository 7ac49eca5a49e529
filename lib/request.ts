import { headers } from "next/headers";

export type RequestContext = { ip: string | null; userAgent: string | null };

export function contextFromHeaders(h: Headers): RequestContext {
  // lib/cli/serve.mjs sets this header to the client's address, replacing whatever the
  // client sent (TRUSTED_PROXY_HOPS says how many reverse proxies' reports to believe).
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  return {
    ip: forwarded || null,
    userAgent: h.get("user-agent")?.slice(0, 500) ?? null,
  };
}

/** Where the current request came from, for audit rows, sessions and throttling. */
export async function requestContext(): Promise<RequestContext> {
  return contextFromHeaders(await headers());
}
