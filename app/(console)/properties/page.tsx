import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listApplications } from "@/db/queries/apps";
import { listProperties, listRules } from "@/db/queries/properties";
import { listUnitTree } from "@/db/queries/units";
import { CsvImport } from "@/components/properties/csv-import";
import { PropertyList } from "@/components/properties/property-list";
import { RuleList } from "@/components/properties/rule-list";
import { StepUpProvider } from "@/components/step-up/step-up-provider";
import { requirePermission } from "@/lib/auth/session";
import { grantLabel } from "@/lib/auth/permissions";
import { pathName } from "@/lib/org-units/tree";
import { displayValue } from "@/lib/properties/values";
import { roleChoices, WORKSTATION_ROLE } from "@/lib/team/roles";

export const metadata: Metadata = { title: "Properties and access rules" };

/** A7: people's properties, the access rules that give roles by them, and the CSV import. */
export default async function PropertiesPage() {
  const user = await requirePermission("properties.manage");
  const db = await getDb();
  const [properties, rules, roles, tree, apps] = await Promise.all([
    listProperties(db, user.accountId),
    listRules(db, user.accountId),
    roleChoices(db, user.accountId),
    listUnitTree(db, user.accountId),
    listApplications(db),
  ]);
  const unitOptions = tree.map((unit) => ({ value: unit.id, label: pathName(tree, unit.id) }));
  // A8: app roles as a rule gives them, "Publisher in Studio".
  const appRoleOptions = apps.flatMap((app) => app.roles.map((role) => ({ value: role.id, label: `${role.name} in ${app.name}` })));
  const grantName = (rule: (typeof rules)[number]) =>
    rule.appRoleId
      ? (appRoleOptions.find((option) => option.value === rule.appRoleId)?.label ?? "")
      : grantLabel({ name: roles.find((role) => role.key === rule.roleKey)?.name ?? rule.roleKey ?? "", unit: rule.unitId ? { name: pathName(tree, rule.unitId) } : null });
  return (
    <section className="max-w-4xl space-y-8">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Properties and access rules</h1>
        <p className="text-sm text-slate-600">
          Properties describe people (their site, their cost centre). An access rule gives a role to everyone whose property has a value, and takes it back when
          it no longer does — on their next request. A rule can give an app role too: it subscribes them to that application.
        </p>
      </div>
      <StepUpProvider>
        <section aria-labelledby="properties-heading" className="space-y-3">
          <h2 id="properties-heading" className="text-lg font-semibold">
            Properties
          </h2>
          <PropertyList properties={properties} />
        </section>
        <section aria-labelledby="rules-heading" className="space-y-3">
          <h2 id="rules-heading" className="text-lg font-semibold">
            Access rules
          </h2>
          <RuleList
            rules={rules.map((rule) => {
              const property = properties.find((p) => p.id === rule.propertyId)!;
              return {
                id: rule.id,
                name: rule.name,
                propertyId: rule.propertyId,
                value: rule.value,
                role: rule.roleKey,
                unitId: rule.unitId,
                appRoleId: rule.appRoleId,
                holders: rule.holders,
                summary: `${rule.propertyLabel} is ${displayValue(property, rule.value, tree)} → ${grantName(rule)}`,
              };
            })}
            properties={properties.map((p) => ({
              id: p.id,
              label: p.label,
              options: p.type === "choice" ? p.choices.map((c) => ({ value: c, label: c })) : p.type === "unit" ? unitOptions : [],
            }))}
            roles={roles.filter((role) => role.key !== WORKSTATION_ROLE).map((role) => ({ value: role.key, label: role.name }))}
            units={unitOptions}
            appRoles={appRoleOptions}
          />
        </section>
        <section aria-labelledby="import-heading" className="space-y-3">
          <h2 id="import-heading" className="text-lg font-semibold">
            Import values
          </h2>
          <CsvImport keys={properties.map((p) => p.key)} />
        </section>
      </StepUpProvider>
    </section>
  );
}
