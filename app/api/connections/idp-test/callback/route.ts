import { NextResponse } from "next/server";
import { cookies } from "next/headers";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requirePermission } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { findIdentityProviderTest, finishIdentityProviderTest, TEST_COOKIE, testResultPath } from "@/lib/connections/idp-test";

/**
 * B5: where the IdP sends the test sign-in back (register it at the IdP beside the
 * sign-in callback). The result is stored; the popup's result page tells the opener.
 */
export async function GET(req: Request) {
  const user = await requirePermission("connections.manage");
  const jar = await cookies();
  const testId = z.uuid().safeParse(jar.get(TEST_COOKIE)?.value);
  const db = await getDb();
  const test = testId.success ? await findIdentityProviderTest(db, user, testId.data) : null;
  if (!test) return new NextResponse("No test sign-in is running in this browser. Close this window and start it again.", { status: 400 });
  // Built from the configured base URL, as the redirect URI was (never from the Host header).
  const callback = new URL(`${config().appUrl}/api/connections/idp-test/callback${new URL(req.url).search}`);
  await finishIdentityProviderTest(db, test, callback);
  const response = NextResponse.redirect(new URL(testResultPath(test.id), config().appUrl));
  response.cookies.delete({ name: TEST_COOKIE, path: "/api/connections/idp-test" });
  return response;
}
