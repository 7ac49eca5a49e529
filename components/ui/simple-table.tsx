/**
 * A plain data table in the console's frame: a caption for screen readers, column
 * headers (an empty header is announced as "Actions"), the rows, and a line when there
 * are none. It scrolls inside its frame on narrow screens.
 */
export function SimpleTable({ caption, headers, isEmpty, empty, children }: { caption: string; headers: string[]; isEmpty: boolean; empty: string; children: React.ReactNode }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-slate-700">
          <tr>
            {headers.map((header, i) => (
              <th key={i} scope="col" className="px-4 py-3 font-semibold">
                {header || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {children}
          {isEmpty ? <EmptyRow columns={headers.length}>{empty}</EmptyRow> : null}
        </tbody>
      </table>
    </div>
  );
}

/** The one row of a table that has nothing to show, spanning every column. */
export function EmptyRow({ columns, children }: { columns: number; children: React.ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="px-4 py-6 text-center text-slate-600">
        {children}
      </td>
    </tr>
  );
}
