import Link from "next/link";

/**
 * Newer / Older links of a keyset-paged list (the audit log, sign-in activity): each cursor
 * present becomes a link built by `href`; the page's filter stays in it.
 */
export function KeysetPager({ label, newer, older, href }: { label: string; newer: string | null; older: string | null; href: (cursor: { newer: string } | { older: string }) => string }) {
  return (
    <nav aria-label={label} className="flex justify-between text-sm">
      {newer ? (
        <Link href={href({ newer })} className="text-brand-700 underline">
          ← Newer
        </Link>
      ) : (
        <span />
      )}
      {older ? (
        <Link href={href({ older })} className="text-brand-700 underline">
          Older →
        </Link>
      ) : null}
    </nav>
  );
}
