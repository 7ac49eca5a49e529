import Link from "next/link";
import { EmptyRow, SimpleTable } from "@/components/ui/simple-table";
import type { OverviewPerson } from "@/db/queries/security-overview";
import type { DailyPoint, SignInDay } from "@/lib/security-overview/overview";

/** B4: one card of the overview, named by its heading (a region for assistive technology). */
export function OverviewCard({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
      <h2 id={id} className="text-lg font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * The figures a chart draws, as a table for screen readers: visually hidden (the chart shows
 * them), and a plain table rather than SimpleTable, whose scrolling frame axe would want
 * focusable.
 */
function HiddenTable({ caption, headers, rows }: { caption: string; headers: string[]; rows: (string | number)[][] }) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {headers.map((header) => (
            <th key={header} scope="col">
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={String(row[0])}>
            {row.map((cell, i) => (i === 0 ? <th key={i} scope="row">{cell}</th> : <td key={i}>{cell}</td>))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AdoptionTable({ points }: { points: DailyPoint[] }) {
  return <HiddenTable caption="Two-factor adoption by day" headers={["Day", "Active people", "With 2FA", "Share"]} rows={points.map((p) => [p.day, p.members, p.withTwoFactor, `${p.percent}%`])} />;
}

export function SignInsTable({ days }: { days: SignInDay[] }) {
  return <HiddenTable caption="Sign-ins and failed sign-ins by day" headers={["Day", "Sign-ins", "Failed sign-ins"]} rows={days.map((d) => [d.day, d.succeeded, d.failed])} />;
}

const when = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : "Never");

/** A few of the people a count is about, each linked to their page when the viewer may open it. */
export function PeopleList({ caption, people, total, linkable, lastColumn }: { caption: string; people: OverviewPerson[]; total: number; linkable: boolean; lastColumn: string }) {
  return (
    <>
      <SimpleTable caption={caption} headers={["Person", lastColumn]} isEmpty={false} empty="">
        {people.length === 0 ? <EmptyRow columns={2}>Nobody.</EmptyRow> : null}
        {people.map((person) => (
          <tr key={person.id}>
            <td className="px-4 py-2">
              {linkable ? (
                <Link href={`/users/${person.id}`} className="text-brand-700 underline">
                  {person.name || person.email}
                </Link>
              ) : (
                person.name || person.email
              )}
              <span className="block text-xs text-slate-600">{person.email}</span>
            </td>
            <td className="px-4 py-2">{when(person.at)}</td>
          </tr>
        ))}
      </SimpleTable>
      {total > people.length ? <p className="text-sm text-slate-600">And {total - people.length} more.</p> : null}
    </>
  );
}
