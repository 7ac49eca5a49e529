"use client";

import { useState } from "react";
import { UnitSelect } from "@/components/org-units/unit-select";
import { Button } from "@/components/ui/button";
import type { UnitChoice } from "@/lib/org-units/choices";
import type { RoleOption } from "./role-checkboxes";

/** A role held on a unit (A4); `label` names it for people ("Restricted administrator (EMEA)"). */
export type UnitGrant = { role: string; unitId: string; label: string };
/** What may be given on a unit here: roles with something to give there, and the units the viewer gives roles on. */
export type UnitGrantChoices = { roles: readonly RoleOption[]; units: readonly UnitChoice[] };

type Props = { idPrefix: string; choices: UnitGrantChoices; value: readonly UnitGrant[]; onChange: (value: UnitGrant[]) => void };

/**
 * A4: the roles a member holds on units, each with a Remove button, and a role and a unit
 * to give one more. It covers that unit and everything below it.
 */
export function UnitGrants({ idPrefix, choices, value, onChange }: Props) {
  const givable = choices.roles.filter((role) => !role.locked);
  const [role, setRole] = useState(givable[0]?.key ?? "");
  const [unitId, setUnitId] = useState(choices.units[0]?.id ?? "");
  const roleName = (key: string) => choices.roles.find((option) => option.key === key)?.name ?? key;
  const unitName = (id: string) => choices.units.find((unit) => unit.id === id)?.path ?? null;
  const mayChange = (grant: UnitGrant) => Boolean(unitName(grant.unitId)) && !choices.roles.find((option) => option.key === grant.role)?.locked;
  const add = () => {
    if (!role || !unitId || value.some((grant) => grant.role === role && grant.unitId === unitId)) return;
    onChange([...value, { role, unitId, label: `${roleName(role)} (${unitName(unitId)})` }]);
  };
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">Roles on units</legend>
      <p className="text-xs text-slate-600">A role on a unit gives its administration permissions over that unit&apos;s members and those of every unit below it — nothing above or beside it.</p>
      {value.length > 0 ? (
        <ul aria-label="Roles on units" className="space-y-1">
          {value.map((grant) => {
            const label = unitName(grant.unitId) ? `${roleName(grant.role)} on ${unitName(grant.unitId)}` : grant.label;
            return (
              <li key={`${grant.role}@${grant.unitId}`} className="flex items-center justify-between gap-2 text-sm">
                <span>{label}</span>
                {mayChange(grant) ? (
                  <Button type="button" variant="secondary" aria-label={`Remove ${label}`} onClick={() => onChange(value.filter((other) => other !== grant))}>
                    Remove
                  </Button>
                ) : (
                  <span className="text-xs text-slate-600">(You cannot take this role.)</span>
                )}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">None.</p>
      )}
      {givable.length > 0 ? (
        <div className="flex flex-wrap items-end gap-2">
          <div className="space-y-1">
            <label htmlFor={`${idPrefix}-role`} className="block text-sm font-medium text-slate-700">
              Role on a unit
            </label>
            <select id={`${idPrefix}-role`} value={role} onChange={(event) => setRole(event.target.value)} className="rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
              {givable.map((option) => (
                <option key={option.key} value={option.key}>
                  {option.name}
                </option>
              ))}
            </select>
          </div>
          <UnitSelect id={`${idPrefix}-unit`} label="On unit" value={unitId} onChange={setUnitId} units={choices.units} className="min-w-40 flex-1" />
          <Button type="button" variant="secondary" onClick={add}>
            Add role on unit
          </Button>
        </div>
      ) : null}
    </fieldset>
  );
}
