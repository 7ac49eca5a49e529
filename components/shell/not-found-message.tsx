import Link from "next/link";

/** What a missing page (or one this person may not see) says, wherever it is shown. */
export function NotFoundMessage() {
  return (
    <div className="mx-auto max-w-md p-10 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-600">This page does not exist, or you do not have access to it.</p>
      <Link href="/" className="mt-6 inline-block text-brand-600 underline">
        Go to the console
      </Link>
    </div>
  );
}
