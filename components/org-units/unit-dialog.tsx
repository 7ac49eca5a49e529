"use client";

import { useState } from "react";
import { createUnit, moveUnit, renameUnit } from "@/app/(console)/units/actions";
import { useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Field } from "@/components/ui/field";

type Unit = { id: string; parentId: string | null; name: string; path: string };
/** What a button asks the dialog for: a unit under a parent, or another name or place for a unit. */
export type UnitDialogRequest = { kind: "create"; parentId: string | null; opener: HTMLElement | null } | { kind: "rename" | "move"; unit: Unit; opener: HTMLElement | null };
export type UnitDialogState = UnitDialogRequest & { open: boolean };

type Props = {
  state: UnitDialogState;
  /** Every unit the viewer manages units in (a place a unit may go). */
  units: readonly Unit[];
  mayAddTopLevel: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (message: string) => void;
};

const TOP = "";

/** A4: a new unit, a new name, or a new place (the move asks "Verify it's you"). */
export function UnitDialog({ state, units, mayAddTopLevel, onOpenChange, onDone }: Props) {
  // Mounted afresh for each opening (UnitTree keys it), so these start from the unit as it is.
  const [name, setName] = useState(state.kind === "rename" ? state.unit.name : "");
  const [parentId, setParentId] = useState<string>((state.kind === "create" ? state.parentId : state.unit.parentId) ?? TOP);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const runSensitive = useStepUp();
  const places = units.filter((unit) => state.kind !== "move" || unit.id !== state.unit.id);
  const nameOf = (id: string) => units.find((unit) => unit.id === id)?.name;
  const title = state.kind === "create" ? "New unit" : state.kind === "rename" ? `Rename ${state.unit.name}` : `Move ${state.unit.name}`;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFieldError(undefined);
    const result =
      state.kind === "create"
        ? await createUnit({ name, parentId })
        : state.kind === "rename"
          ? await renameUnit({ unitId: state.unit.id, name })
          : await runSensitive(moveUnit, { unitId: state.unit.id, parentId }, { onCodeRequested: () => setVerifying(true) });
    setBusy(false);
    setVerifying(false);
    if (result.ok) {
      onOpenChange(false);
      const parent = parentId ? nameOf(parentId) : null;
      onDone(
        state.kind === "create"
          ? `${name.trim()} was created${parent ? ` under ${parent}` : " at the top level"}.`
          : state.kind === "rename"
            ? `${state.unit.name} is now ${name.trim()}.`
            : `${state.unit.name} moved ${parent ? `under ${parent}` : "to the top level"}.`,
      );
      state.opener?.focus();
    } else if ("cancelled" in result) {
      setError("Cancelled: nothing was changed.");
    } else if ("fieldErrors" in result && result.fieldErrors?.name) {
      setFieldError(result.fieldErrors.name);
    } else {
      setError(result.error ?? "Something went wrong.");
    }
  };

  return (
    <Dialog
      open={state.open && !verifying}
      onOpenChange={onOpenChange}
      title={title}
      description={state.kind === "move" ? "Everything below it moves too, with its members and the roles given on it." : undefined}
      returnFocusTo={verifying ? false : state.opener}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <ErrorAlert message={error} />
        {state.kind !== "move" ? (
          <Field id="unit-name" label="Name" value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" maxLength={100} error={fieldError} />
        ) : null}
        {state.kind !== "rename" ? (
          <div className="space-y-1">
            <label htmlFor="unit-parent" className="block text-sm font-medium text-slate-700">
              {state.kind === "create" ? "Place under" : "Move under"}
            </label>
            <select id="unit-parent" value={parentId} onChange={(e) => setParentId(e.target.value)} className="block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm">
              {mayAddTopLevel ? <option value={TOP}>(top level)</option> : null}
              {places.map((unit) => (
                <option key={unit.id} value={unit.id}>
                  {unit.path}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" busy={busy}>
            {state.kind === "create" ? "Create unit" : state.kind === "rename" ? "Save name" : "Move unit"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
