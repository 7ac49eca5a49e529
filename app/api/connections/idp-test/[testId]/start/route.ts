import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requirePermission } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { beginIdentityProviderTest, findIdentityProviderTest, TEST_COOKIE } from "@/lib/connections/idp-test";

/**
 * B5: the popup of "Test sign-in" opens here. Discovery with the draft configuration, then
 * off to the IdP's sign-in page; the test's ID rides in a cookie to the callback. A GET
 * that changes only the starter's own test (it is theirs, by session, and binds nothing).
 */
export async function GET(_req: Request, { params }: { params: Promise<{ testId: string }> }) {
  const user = await requirePermission("connections.manage");
  const testId = z.uuid().safeParse((await params).testId);
  const db = await getDb();
  const test = testId.success ? await findIdentityProviderTest(db, user, testId.data) : null;
  if (!test) return new NextResponse("This test sign-in has expired. Close this window and start it again.", { status: 404 });
  const { redirectTo } = await beginIdentityProviderTest(db, test);
  const response = NextResponse.redirect(new URL(redirectTo, config().appUrl));
  response.cookies.set(TEST_COOKIE, test.id, {
    httpOnly: true,
    // Lax: the IdP's redirect back is a top-level navigation.
    sameSite: "lax",
    secure: config().appUrl.startsWith("https:"),
    path: "/api/connections/idp-test",
    maxAge: 15 * 60,
  });
  return response;
}
