import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// STYLE: a request travels one way — page or route → action wrapper / apiRoute →
// lib/<concept> operation → db/queries. Pages, actions and route handlers in app/ never
// build queries, so none of them imports the query builder or the tables.
const root = path.resolve(__dirname, "..");
const schemaFolder = path.join(root, "db", "schema");

/** Every module a source text names: import … from, export … from, import "…", import(…), require(…). */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;

function isForbidden(specifier: string, file: string): boolean {
  if (/^drizzle-orm(\/|$)/.test(specifier) || /^@\/db\/schema(\/|$)/.test(specifier)) return true;
  if (!specifier.startsWith(".")) return false;
  const target = path.resolve(path.dirname(path.join(root, file)), specifier);
  return target === schemaFolder || target.startsWith(schemaFolder + path.sep);
}

function forbiddenImports(source: string, file: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1]).filter((specifier) => isForbidden(specifier, file));
}

/** app/'s .ts and .tsx files, tests aside, as paths from the project root with "/". */
function appSources(dir = path.join(root, "app")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return appSources(full);
    if (!/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) return [];
    return [path.relative(root, full).split(path.sep).join("/")];
  });
}

describe("architecture: no SQL in app/", () => {
  it("finds the imports it is looking for", () => {
    const source = [
      `import { eq } from "drizzle-orm";`,
      `import type { PgTable } from 'drizzle-orm/pg-core';`,
      `import { users } from "@/db/schema";`,
      `export { accounts } from "../../../db/schema/accounts";`,
      `const schema = await import("@/db/schema");`,
      `import { getDb } from "@/db/client";`,
      `import { listMembers } from "@/db/queries/members";`,
    ].join("\n");
    expect(forbiddenImports(source, "app/(console)/example/page.tsx")).toEqual([
      "drizzle-orm",
      "drizzle-orm/pg-core",
      "@/db/schema",
      "../../../db/schema/accounts",
      "@/db/schema",
    ]);
  });

  it("no page, action or route handler imports drizzle-orm or @/db/schema (their queries belong in db/queries)", () => {
    const files = appSources();
    expect(files).toContain("app/(console)/account/actions.ts");
    const offenders = files.flatMap((file) => forbiddenImports(readFileSync(path.join(root, file), "utf8"), file).map((specifier) => `${file} imports ${specifier}`));
    expect(offenders, "move these queries to db/queries and the operation to lib/<concept>").toEqual([]);
  });
});
