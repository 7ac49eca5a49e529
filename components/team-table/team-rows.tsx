"use client";

import { TEAM_COLUMNS } from "./team-columns";
import type { TeamRow } from "./team-table";

/**
 * The team table's rows, each member once. A client component although it holds no state:
 * rendered from the rows' data, a page carries that data once (about 0.3 KB a member) and
 * its HTML. As server components the same rows travel as their whole element tree besides
 * the HTML (1.7× the page's bytes) and cost 3–5× the server time per row (bench:load,
 * 2026-11-30). What they add to the first load is about 1 KiB.
 */
export function TeamRows({ rows }: { rows: TeamRow[] }) {
  return rows.map((row) => (
    <tr key={row.id} role="row">
      {TEAM_COLUMNS.map((column) => (
        <td key={column.id} role="cell" data-column={column.id}>
          {column.cell(row)}
        </td>
      ))}
    </tr>
  ));
}
