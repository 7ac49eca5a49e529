"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { addToUnit, removeFromUnit } from "@/app/(console)/users/[id]/actions";
import { failureText, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import type { UnitChoice } from "@/lib/org-units/choices";
import { UnitSelect } from "./unit-select";

type Props = {
  userId: string;
  who: string;
  /** The units they belong to; `removable` when the viewer may take them out of it. */
  units: (UnitChoice & { removable: boolean })[];
  /** Units the viewer may put them in (empty: the viewer cannot). */
  places: UnitChoice[];
};

/**
 * A4: the units a member belongs to, taken out of one or put in another — each with
 * "Verify it's you": it decides which administrators reach them.
 */
export function MemberUnits({ userId, who, units, places }: Props) {
  const router = useRouter();
  const runSensitive = useStepUp();
  const open = places.filter((place) => !units.some((unit) => unit.id === place.id));
  const [unitId, setUnitId] = useState(open[0]?.id ?? "");
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: "ok" | "error" } | null>(null);

  const run = async (key: string, change: () => ReturnType<typeof runSensitive<{ userId: string; unitId: string }, { who: string; unit: string }>>, done: (unit: string) => string) => {
    setBusy(key);
    setMessage(null);
    const result = await change();
    setBusy(null);
    if (result.ok) {
      setMessage({ text: done(result.data.unit), tone: "ok" });
      router.refresh();
    } else {
      setMessage({ text: failureText(result), tone: "error" });
    }
  };

  return (
    <div className="space-y-3">
      {units.length === 0 ? (
        <p className="text-sm text-slate-600">In no unit: only those who administer the whole account reach {who}.</p>
      ) : (
        <ul aria-label={`Units of ${who}`} className="space-y-2">
          {units.map((unit) => (
            <li key={unit.id} className="flex flex-wrap items-center justify-between gap-2 text-sm">
              <span>{unit.path}</span>
              {unit.removable ? (
                <Button
                  variant="secondary"
                  busy={busy === unit.id}
                  aria-label={`Take out of ${unit.name}`}
                  onClick={() => run(unit.id, () => runSensitive(removeFromUnit, { userId, unitId: unit.id }), (name) => `${who} is no longer in ${name}.`)}>
                  Take out
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {open.length > 0 ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (unitId) void run("add", () => runSensitive(addToUnit, { userId, unitId }), (name) => `${who} is now in ${name}.`);
          }}>
          <UnitSelect id="member-add-unit" label="Put in a unit" value={unitId} onChange={setUnitId} units={open} className="min-w-48 flex-1" />
          <Button type="submit" variant="secondary" busy={busy === "add"}>
            Add to unit
          </Button>
        </form>
      ) : null}
      <div role="status" aria-live="polite" aria-label="Messages about units" className="min-h-5 text-sm">
        {message ? <p className={message.tone === "ok" ? "text-emerald-700" : "text-red-700"}>{message.text}</p> : null}
      </div>
    </div>
  );
}
