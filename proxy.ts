import { NextResponse, type NextRequest } from "next/server";
import { config as appConfig } from "@/lib/config";
import { contentSecurityPolicy, createNonce } from "@/lib/http/security-headers.mjs";

/**
 * A Content-Security-Policy with a fresh nonce for every request. Next reads the nonce from
 * the policy in the *request* headers while it renders, and puts it on its own scripts;
 * the same policy goes out on the response. Headers only: this is not an auth gate (every
 * page, action and route checks its caller itself).
 */
export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy({
    nonce: createNonce(),
    appUrl: appConfig().appUrl,
    development: process.env.NODE_ENV === "development",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Pages, route handlers (/api/*) and Next's own 404 and error pages. Built assets are
  // skipped: a policy means nothing on a script or a stylesheet, and lib/cli/serve.mjs
  // gives them a locked-down one anyway.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
