import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SYSTEM_ROLE_KEYS } from "./permissions";

// STYLE: "may this principal do this, here?" has one answer, can() in lib/auth/principal.ts,
// from the catalogue in lib/auth/permissions.ts. Nothing else in the code decides who may
// do what: no role compared by hand, no permission set read directly, no SSO-only or staff
// rule of its own. This walks the source for such stray checks.
const root = path.resolve(__dirname, "../..");
const DECIDERS = new Set(["lib/auth/principal.ts", "lib/auth/permissions.ts"]);
const roleKeys = SYSTEM_ROLE_KEYS.join("|");

const STRAY: { pattern: RegExp; why: string; except?: string[] }[] = [
  { pattern: /\brole\s*[!=]==?\s*["']/, why: "compares a role by hand" },
  { pattern: /["'](primary|secondary)["']\s*(===|!==|\))|role:\s*["'](primary|secondary)["']/, why: "names the old primary/secondary roles" },
  { pattern: new RegExp(`\\.key\\s*[!=]==?\\s*["'](${roleKeys})["']`), why: "compares a role key by hand (ask can(), or use the catalogue's helpers)" },
  { pattern: /\.permissions\.has\(/, why: "reads a principal's permissions instead of asking can()" },
  { pattern: /\.isStaff\b/, why: "applies the staff rule (T6) by hand instead of can()/mayNotSee()" },
  { pattern: /\.accountSsoOnly\b/, why: "applies the SSO-only rule (T7) by hand instead of can()" },
  { pattern: /\.unitPermissions\b/, why: "reads a principal's roles on units (A4) instead of asking can() or reachOf()" },
  // The tree's own queries keep it; a grant's line (heldRoles) reads it for can().
  { pattern: /\b(unit_members|unit_paths)\b/, why: "decides who is in a unit's subtree by hand instead of inSubtrees()/withinReach() (A4)", except: ["db/queries/units.ts", "db/queries/principals.ts"] },
];

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sources(relative);
    if (!/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) return [];
    return [relative];
  });
}

export function strayChecks(source: string, file = ""): string[] {
  const rules = STRAY.filter((rule) => !rule.except?.includes(file));
  return source.split("\n").flatMap((line, i) => rules.filter(({ pattern }) => pattern.test(line)).map(({ why }) => `line ${i + 1}: ${why}: ${line.trim()}`));
}

describe("one question: can()", () => {
  it("recognises the checks it forbids", () => {
    const found = strayChecks(
      [
        `if (user.role === "primary") notFound();`,
        `if (role.key !== "admin") refuse("…");`,
        `const ok = principal.permissions.has("members.read");`,
        `if (viewer.isStaff) return rows;`,
        `if (user.accountSsoOnly) notFound();`,
        `const mine = principal.unitPermissions.get("members.read");`,
        "const inEmea = sql`exists (select 1 from unit_members um where um.user_id = ${id})`;",
        `await inviteMember({ email, role: "secondary" });`,
        `if (can(user, "members.read")) show();`,
        `<Button variant="secondary">Cancel</Button>`,
      ].join("\n"),
    );
    expect([...new Set(found.map((finding) => finding.split(":")[0]))]).toEqual(["line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7", "line 8"]);
  });

  it("finds no stray role checks in app/, components/, lib/ or db/queries/", () => {
    const files = ["app", "components", "lib", "db/queries"].flatMap(sources).filter((file) => !DECIDERS.has(file));
    expect(files).toContain("app/(console)/users/page.tsx");
    const stray = files.flatMap((file) => strayChecks(readFileSync(path.join(root, file), "utf8"), file).map((finding) => `${file} ${finding}`));
    expect(stray, "ask can(principal, permission, scope) instead").toEqual([]);
  });
});
