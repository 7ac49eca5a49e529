import type { Metadata } from "next";
import { z } from "zod";
import { getDb } from "@/db/client";
import { TestResultMessenger } from "@/components/connections/test-result-messenger";
import { requirePermission } from "@/lib/auth/session";
import { describeTestResult, findIdentityProviderTest } from "@/lib/connections/idp-test";

export const metadata: Metadata = { title: "Test sign-in" };

/** B5: the end of a test sign-in, in its popup: the result, told to the page that opened it. */
export default async function TestSignInResultPage({ params }: { params: Promise<{ testId: string }> }) {
  const user = await requirePermission("connections.manage");
  const testId = z.uuid().safeParse((await params).testId);
  const test = testId.success ? await findIdentityProviderTest(await getDb(), user, testId.data) : null;
  const result = test ? describeTestResult(test) : { outcome: "failed" as const, message: "This test sign-in has expired. Start it again." };
  return (
    <section className="max-w-xl space-y-3">
      <h1 className="text-2xl font-semibold">Test sign-in {result.outcome === "passed" ? "passed" : result.outcome === "failed" ? "failed" : "running"}</h1>
      <p className="text-sm text-slate-700">{result.message}</p>
      {test ? <TestResultMessenger testId={test.id} /> : null}
    </section>
  );
}
