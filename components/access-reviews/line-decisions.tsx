"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { decideReviewLine, keepReviewLine } from "@/app/(console)/reviews/actions";
import { RoleCheckboxes, type RoleOption } from "@/components/roles/role-checkboxes";
import { failureText, useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorAlert } from "@/components/ui/error-alert";
import { REVIEW_DECISIONS, type ReviewDecision } from "@/lib/reviews/lines";

type Props = {
  line: { id: string; who: string; reason: string; decisions: ReviewDecision[]; roles: string[] };
  roleOptions: readonly RoleOption[];
};

/**
 * O3: the reviewer's choice on one line. Keep is recorded at once; Disable, Change role and
 * Revoke run the console's own operation, so they ask "Verify it's you" as it does.
 */
export function LineDecisions({ line, roleOptions }: Props) {
  const [busy, setBusy] = useState<ReviewDecision | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [choosing, setChoosing] = useState(false);
  const [opener, setOpener] = useState<HTMLButtonElement | null>(null);
  const [roles, setRoles] = useState<string[]>(line.roles);
  const runSensitive = useStepUp();
  const router = useRouter();

  const decide = async (decision: ReviewDecision, chosen?: string[]) => {
    setBusy(decision);
    setError(null);
    const result = decision === "keep" ? await keepReviewLine({ lineId: line.id }) : await runSensitive(decideReviewLine, { lineId: line.id, decision, roles: chosen });
    setBusy(null);
    if (result.ok) {
      setChoosing(false);
      router.refresh();
    } else setError(failureText(result));
  };

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {line.decisions.map((decision) => (
          <Button
            key={decision}
            ref={decision === "change_role" ? setOpener : undefined}
            variant={decision === "keep" ? "secondary" : decision === "change_role" ? "secondary" : "danger"}
            busy={busy === decision}
            aria-label={`${REVIEW_DECISIONS[decision]}: ${line.who}, ${line.reason}`}
            onClick={() => (decision === "change_role" ? setChoosing(true) : void decide(decision))}
          >
            {REVIEW_DECISIONS[decision]}
          </Button>
        ))}
      </div>
      {!choosing ? <ErrorAlert message={error} /> : null}
      <Dialog open={choosing && busy === null} onOpenChange={setChoosing} title={`Change the roles of ${line.who}`} description="Their roles for the whole account; roles on units stay as they are." returnFocusTo={opener}>
        <form
          className="space-y-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void decide("change_role", roles);
          }}
        >
          <ErrorAlert message={error} />
          <RoleCheckboxes legend="Roles" options={roleOptions} value={roles} onChange={setRoles} idPrefix={`review-roles-${line.id}`} />
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setChoosing(false)}>
              Cancel
            </Button>
            <Button type="submit">Save roles</Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
