import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listUnits } from "@/db/queries/units";
import { UnitTree, type UnitNode } from "@/components/org-units/unit-tree";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { can } from "@/lib/auth/principal";
import { requirePermission } from "@/lib/auth/session";
import { unitsWhere } from "@/lib/org-units/choices";
import { pathName } from "@/lib/org-units/tree";

export const metadata: Metadata = { title: "Organisation units" };

/**
 * A4: the account's organisation units as a tree — create, rename, move, delete. Someone
 * who manages units only below their own unit sees that part of the tree.
 */
export default async function UnitsPage() {
  const user = await requirePermission("units.manage");
  const all = await listUnits(await getDb(), user.accountId);
  const visible = unitsWhere(user, "units.manage", all);
  const shown = new Set(visible.map((unit) => unit.id));
  const nodes: UnitNode[] = visible.map((unit) => ({
    id: unit.id,
    // A unit whose parent is not shown is a root of what this person manages.
    parentId: unit.parentId && shown.has(unit.parentId) ? unit.parentId : null,
    name: unit.name,
    path: pathName(all, unit.id),
    members: unit.members,
    grants: unit.grants,
    // Renamed, moved or deleted by whoever manages the units above it (lib/org-units/units.ts).
    changeable: can(user, "units.manage", { accountId: user.accountId, units: unit.line.slice(1) }),
  }));
  const wholeAccount = can(user, "units.manage", { accountId: user.accountId });
  return (
    <section className="max-w-4xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Organisation units</h1>
        <p className="text-sm text-slate-600">
          Arrange people in units. A role given on a unit covers that unit and every unit below it. Moving a unit moves everything below it, and asks
          you to verify it&apos;s you: it changes who administers whom.
        </p>
      </div>
      <StepUpProvider>
        <UnitTree units={nodes} mayAddTopLevel={wholeAccount} />
      </StepUpProvider>
    </section>
  );
}
