import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { getDb } from "@/db/client";
import { SecondFactorForm } from "@/components/auth/second-factor-form";
import { SECOND_FACTOR_COOKIE } from "@/lib/auth/complete-sign-in";
import { safeNextPath } from "@/lib/auth/safe-next";
import { findSecondFactorGrant } from "@/lib/auth/sign-in-grants";
import { secondFactorMethods } from "@/db/queries/passkeys";

export const metadata: Metadata = { title: "Two-factor authentication" };

export default async function SecondFactorPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const token = (await cookies()).get(SECOND_FACTOR_COOKIE)?.value;
  const db = await getDb();
  const pending = await findSecondFactorGrant(db, token);
  const { next } = await searchParams;
  if (!pending) {
    return (
      <>
        <h1 className="mb-2 text-lg font-semibold">Sign-in expired</h1>
        <p className="text-sm text-slate-600">Sign in with your email and password again.</p>
        <Link href="/sign-in" className="mt-4 inline-block text-sm text-brand-600 underline">
          Go to sign in
        </Link>
      </>
    );
  }
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">Two-factor authentication</h1>
      <p className="mb-4 text-sm text-slate-600">Signing in as {pending.user.email}</p>
      <SecondFactorForm next={safeNextPath(next)} methods={await secondFactorMethods(db, pending.user.id)} />
      <Link href="/sign-in" className="mt-4 inline-block text-sm text-brand-600 underline">
        Not you? Back to sign in
      </Link>
    </>
  );
}
